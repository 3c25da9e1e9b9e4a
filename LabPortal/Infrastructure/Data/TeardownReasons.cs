namespace LabPortal.Infrastructure.Data;

/// <summary>
/// The one place that knows how a <see cref="TeardownReason"/> is written down: in the database
/// (<c>LabRuns.TeardownReason</c>, text), in audit entries and on the instructor's pages. The names
/// are what existing rows hold, so they never change.
/// </summary>
public static class TeardownReasons
{
    public static string StoredName(this TeardownReason reason) => reason switch
    {
        TeardownReason.Learner => "learner",
        TeardownReason.Reset => "reset",
        TeardownReason.AutoCleanup => "auto-cleanup",
        TeardownReason.Sweeper => "sweeper",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "No stored name for this teardown reason."),
    };

    /// <summary>The reason a stored name stands for; a name no release wrote is a damaged row, said plainly.</summary>
    public static TeardownReason FromStoredName(string name)
    {
        foreach (var reason in Enum.GetValues<TeardownReason>())
        {
            if (string.Equals(reason.StoredName(), name, StringComparison.Ordinal))
            {
                return reason;
            }
        }

        throw new InvalidOperationException($"A lab run's teardown reason reads \"{name}\", which no release of the portal writes.");
    }
}
