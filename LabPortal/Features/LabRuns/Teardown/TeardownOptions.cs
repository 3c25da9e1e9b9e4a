using System.ComponentModel.DataAnnotations;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>The teardown's settings, in the <c>Cleanup</c> section beside auto-cleanup's timing.</summary>
public sealed class TeardownOptions
{
    public const string Section = "Cleanup";

    /// <summary>At most this many runs tear down at once across the portal; the others wait their turn.</summary>
    [Range(1, 64)]
    public int MaxParallelTeardowns { get; set; } = 8;

    /// <summary>On the sandbox, a learner reset also deletes the learner's whole sandbox account once their runs are torn down.</summary>
    public bool DropSandboxAccountOnReset { get; set; }

    /// <summary>How long one teardown may take in all, across its continuations, before it is reported failed with what is left.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMinutes(30);
}
