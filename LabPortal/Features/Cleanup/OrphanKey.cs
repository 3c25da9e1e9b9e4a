using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Cleanup;

/// <summary>Names one offered resource for a deletion: whose scope, which kind, which id.</summary>
public sealed record OrphanKey(int? UserId, ResourceKind Kind, string ResourceId);
