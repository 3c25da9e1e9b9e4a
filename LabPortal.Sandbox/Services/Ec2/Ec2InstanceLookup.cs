using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>Finds instances by id the way EC2's instance actions do, with EC2's errors.</summary>
internal static class Ec2InstanceLookup
{
    /// <summary>Finds every id or fails the whole call (EC2 acts on all or none).</summary>
    public static List<Ec2Instance> Lookup(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        if (instanceIds.Count == 0)
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter InstanceId");
        }

        foreach (var id in instanceIds)
        {
            if (!Ec2Ids.IsWellFormed(id, "i"))
            {
                throw new ApiException("InvalidInstanceID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\"");
            }
        }

        var ec2 = scope.Read<Ec2RegionState>(region);
        var missing = instanceIds.Where(id => !ec2.Instances.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw NotFound(missing);
        }

        return instanceIds.Distinct(StringComparer.Ordinal).Select(id => ec2.Instances[id]).ToList();
    }

    public static ApiException NotFound(IReadOnlyList<string> missing) => missing.Count == 1
        ? new ApiException("InvalidInstanceID.NotFound", $"The instance ID '{missing[0]}' does not exist")
        : new ApiException("InvalidInstanceID.NotFound", $"The instance IDs '{string.Join(", ", missing)}' do not exist");
}
