using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private async Task<ApiResult> DescribeInstanceAttributeAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var id = p.GetRequired("InstanceId");
        var attribute = p.GetRequired("Attribute");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var instance = Ec2InstanceLookup.Lookup(scope, request.Region, [id])[0];
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        return attribute switch
        {
            "instanceType" => Attribute(id, "instanceType", instance.InstanceType),
            "userData" => Attribute(id, "userData", instance.UserData),
            "disableApiTermination" => Attribute(id, "disableApiTermination", Bool(instance.DisableApiTermination)),
            "disableApiStop" => Attribute(id, "disableApiStop", Bool(instance.DisableApiStop)),
            "instanceInitiatedShutdownBehavior" => Attribute(id, "instanceInitiatedShutdownBehavior", "stop"),
            "rootDeviceName" => Attribute(id, "rootDeviceName", "/dev/xvda"),
            "sourceDestCheck" => Attribute(id, "sourceDestCheck", Bool(instance.SourceDestCheck)),
            "ebsOptimized" => Attribute(id, "ebsOptimized", Bool(instance.EbsOptimized)),
            "enaSupport" => Attribute(id, "enaSupport", "true"),
            "groupSet" => ApiResult.Xml(w => w
                .Element("instanceId", id)
                .ItemSet("groupSet", instance.SecurityGroupIds, (x, g) => x.Element("groupId", g).Element("groupName", ec2.SecurityGroups.GetValueOrDefault(g)?.GroupName))),
            _ => throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(attribute)}) for parameter attribute is invalid. Unknown attribute."),
        };
    }

    /// <summary>An <c>AttributeValue</c>/<c>AttributeBooleanValue</c> answer: <c>&lt;name&gt;&lt;value&gt;..&lt;/value&gt;&lt;/name&gt;</c>.</summary>
    private static ApiResult Attribute(string instanceId, string name, string? value) => ApiResult.Xml(w =>
    {
        w.Element("instanceId", instanceId);
        w.Struct(name, x => x.Element("value", value));
    });

    private async Task<ApiResult> ModifyInstanceAttributeAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var id = p.GetRequired("InstanceId");

        // Two spellings: Attribute=instanceType&Value=t3.small, or InstanceType.Value=t3.small.
        var attribute = p.Get("Attribute");
        var value = p.Get("Value");
        string? Read(string name, string structName) => attribute == name ? value : p.Struct(structName).Get("Value");
        var instanceType = Read("instanceType", "InstanceType");
        var userData = Read("userData", "UserData");
        var termination = Read("disableApiTermination", "DisableApiTermination");
        var stop = Read("disableApiStop", "DisableApiStop");
        var sourceDest = Read("sourceDestCheck", "SourceDestCheck");
        var ebsOptimized = Read("ebsOptimized", "EbsOptimized");
        var groups = attribute == "groupSet" && value is not null ? [value] : p.GetList("GroupId");
        if (instanceType is null && userData is null && termination is null && stop is null && groups.Count == 0
            && sourceDest is null && ebsOptimized is null)
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter attribute or one attribute value to modify");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var instance = Ec2InstanceLookup.Lookup(scope, request.Region, [id])[0];
        var ec2 = scope.Read<Ec2RegionState>(request.Region);

        // EC2 user guide, "Change the instance type": only a stopped instance can change type or user data.
        if ((instanceType is not null || userData is not null) && instance.State != Ec2InstanceState.Stopped)
        {
            throw new ApiException("IncorrectInstanceState", $"The instance '{id}' is not in the 'stopped' state.");
        }

        if (instanceType is not null && !Ec2InstanceTypes.IsKnown(instanceType))
        {
            throw new ApiException("InvalidParameterValue", $"Invalid value '{QueryParameters.Shorten(instanceType)}' for InstanceType.");
        }

        if (userData is not null && !Convert.TryFromBase64String(userData, new byte[(userData.Length * 3 / 4) + 3], out _))
        {
            throw new ApiException("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
        }

        foreach (var group in groups)
        {
            ValidateGroupId(group);
            if (!ec2.SecurityGroups.TryGetValue(group, out var found) || found.VpcId != instance.VpcId)
            {
                throw new ApiException("InvalidGroup.NotFound", $"The security group '{group}' does not exist in VPC '{instance.VpcId}'");
            }
        }

        var terminationFlag = ParseFlag(termination, "DisableApiTermination");
        var stopFlag = ParseFlag(stop, "DisableApiStop");
        var sourceDestFlag = ParseFlag(sourceDest, "SourceDestCheck");
        var ebsFlag = ParseFlag(ebsOptimized, "EbsOptimized");
        scope.MarkChanged<Ec2RegionState>(request.Region);
        instance.InstanceType = instanceType ?? instance.InstanceType;
        instance.UserData = userData ?? instance.UserData;
        instance.DisableApiTermination = terminationFlag ?? instance.DisableApiTermination;
        instance.DisableApiStop = stopFlag ?? instance.DisableApiStop;
        instance.SourceDestCheck = sourceDestFlag ?? instance.SourceDestCheck;
        instance.EbsOptimized = ebsFlag ?? instance.EbsOptimized;
        if (groups.Count > 0)
        {
            instance.SecurityGroupIds = [.. groups.Distinct(StringComparer.Ordinal)];
        }

        return ApiResult.Xml(w => w.Element("return", true));
    }

    private static bool? ParseFlag(string? value, string name) => value is null
        ? null
        : bool.TryParse(value, out var flag) ? flag : throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(value)}) for parameter {name} is invalid. Expected: 'Boolean'.");
}
