using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>A resource found in the cloud by its <c>lab-portal:*</c> tags.</summary>
/// <param name="Kind">The ledger's kind name (<c>Instance</c>, <c>SecurityGroup</c>, <c>LoadBalancer</c>...).</param>
/// <param name="ResourceId">The id the ledger keeps (instance id, group id, ARN, group name).</param>
/// <param name="Name">The <c>Name</c> tag or the resource's own name.</param>
/// <param name="Region">The region it lives in.</param>
/// <param name="RunTag">The <c>lab-portal:run</c> tag's value.</param>
/// <param name="LearnerTag">The <c>lab-portal:learner</c> tag's value.</param>
/// <param name="State">The resource's state where it has one (instances, load balancers).</param>
public sealed record TaggedResource(ResourceKind Kind, string ResourceId, string Name, string Region, string? RunTag, string? LearnerTag, string? State)
{
    public string Describe => $"{Kind} {ResourceId}" + (Name.Length > 0 && Name != ResourceId ? $" ({Name})" : "") + (State is { Length: > 0 } ? $" [{State}]" : "");
}
