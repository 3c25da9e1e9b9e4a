using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>What one teardown pass could not delete, each with AWS's own words (issue 13, What to build 3).</summary>
public sealed class TeardownReport
{
    private readonly List<TeardownFailure> _failures = [];

    public IReadOnlyList<TeardownFailure> Failures => _failures;

    public void Add(ResourceKind kind, string resourceId, string code, string english, string korean) =>
        _failures.Add(new TeardownFailure(kind, resourceId, code, english, korean));

    /// <summary>One line per failure, for the audit entry the instructor reads.</summary>
    public string Describe() => string.Join(" ", _failures.Select(f => $"{f.Kind} {f.ResourceId}: {f.Code}: {f.English.TrimEnd('.')}."));
}
