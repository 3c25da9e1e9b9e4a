using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>A resource a teardown could not delete: its kind and id, AWS's error code and message (or the portal's, in both languages).</summary>
public sealed record TeardownFailure(ResourceKind Kind, string ResourceId, string Code, string English, string Korean);
