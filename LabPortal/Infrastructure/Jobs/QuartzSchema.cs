namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// Quartz's own schema script for its ADO job store, read from the Quartz assembly so the
/// tables always match the Quartz version we run. A migration applies it (see
/// <c>Migrations/20261122000002_QuartzJobStore.cs</c>).
/// </summary>
public static class QuartzSchema
{
    /// <summary>The table prefix the job store is configured with.</summary>
    public const string TablePrefix = "QRTZ_";

    /// <summary>
    /// The statements of the script for <paramref name="dialect"/> ("sqlite", "postgres"), with the
    /// prefix substituted. Quartz separates statements with a line reading exactly <c>--;;</c>;
    /// every statement creates only what is missing, so running them twice is harmless.
    /// </summary>
    public static IReadOnlyList<string> Statements(string dialect)
    {
        var resource = $"Quartz.Impl.AdoJobStore.Schema.create_{dialect}.sql";
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Quartz {typeof(Quartz.IScheduler).Assembly.GetName().Version} does not ship {resource}.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return script.Split("\n--;;", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(statement => statement.Split('\n').Any(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal) && line.Trim().Length > 0))
            .ToList();
    }
}
