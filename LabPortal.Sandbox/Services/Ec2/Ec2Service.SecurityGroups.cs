using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private const string GroupCharacters = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*";

    private async Task<ApiResult> CreateSecurityGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = p.GetRequired("GroupName");
        var description = p.GetRequired("GroupDescription");
        var vpcId = p.Get("VpcId");
        var tagSpecs = Ec2Tags.ReadSpecifications(p, "TagSpecification", "security-group");

        // EC2 API reference, CreateSecurityGroup: up to 255 characters; VPC groups allow GroupCharacters; "sg-*" and "default" are refused.
        if (name.Length > 255 || !GroupText().IsMatch(name))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(name)}) for parameter GroupName is invalid. Valid characters: {GroupCharacters} Maximum length 255.");
        }

        if (name.StartsWith("sg-", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException("InvalidParameterValue", "Group names may not be in the format sg-*.");
        }

        if (string.Equals(name, "default", StringComparison.Ordinal))
        {
            throw new ApiException("InvalidGroup.Reserved", "The security group 'default' is reserved");
        }

        if (description.Length > 255 || !GroupText().IsMatch(description))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(description)}) for parameter GroupDescription is invalid. Valid characters: {GroupCharacters} Maximum length 255.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var vpc = vpcId is null
            ? ec2.DefaultVpc
            : ec2.Vpcs.GetValueOrDefault(vpcId) ?? throw new ApiException("InvalidVpcID.NotFound", $"The vpc ID '{QueryParameters.Shorten(vpcId)}' does not exist");
        if (ec2.SecurityGroups.Values.Any(g => g.VpcId == vpc.VpcId && g.GroupName == name))
        {
            throw new ApiException("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpc.VpcId}'");
        }

        ec2 = scope.Write<Ec2RegionState>(request.Region);
        var group = new Ec2SecurityGroup
        {
            GroupId = Ec2Ids.New("sg"),
            GroupName = name,
            Description = description,
            VpcId = vpc.VpcId,
            Tags = tagSpecs.GetValueOrDefault("security-group") ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };

        // A new VPC group allows all outbound traffic (VPC user guide, "Security group rules").
        group.Egress.Add(new Ec2SecurityGroupRule { RuleId = Ec2Ids.New("sgr"), IpProtocol = "-1", CidrIpv4 = "0.0.0.0/0" });
        ec2.SecurityGroups[group.GroupId] = group;
        return ApiResult.Xml(w =>
        {
            w.Element("return", true).Element("groupId", group.GroupId);
            if (group.Tags.Count > 0)
            {
                w.TagSet(group.Tags);
            }

            w.Element("securityGroupArn", GroupArn(request, group.GroupId));
        });
    }

    private static string GroupArn(ApiRequest request, string groupId) => $"arn:aws:ec2:{request.Region}:{request.AccountId}:security-group/{groupId}";

    private async Task<ApiResult> DescribeSecurityGroupsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("GroupId");
        var names = p.GetList("GroupName");
        var filters = p.GetFilters();
        foreach (var id in ids)
        {
            ValidateGroupId(id);
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var missingId = ids.FirstOrDefault(id => !ec2.SecurityGroups.ContainsKey(id));
        if (missingId is not null)
        {
            throw new ApiException("InvalidGroup.NotFound", $"The security group '{missingId}' does not exist");
        }

        var defaultVpc = ec2.DefaultVpc.VpcId;
        var missingName = names.FirstOrDefault(n => !ec2.SecurityGroups.Values.Any(g => g.GroupName == n && g.VpcId == defaultVpc));
        if (missingName is not null)
        {
            throw new ApiException("InvalidGroup.NotFound", $"The security group '{QueryParameters.Shorten(missingName)}' does not exist in default VPC '{defaultVpc}'");
        }

        var groups = ec2.SecurityGroups.Values
            .Where(g => ids.Count == 0 || ids.Contains(g.GroupId))
            .Where(g => names.Count == 0 || (names.Contains(g.GroupName) && g.VpcId == defaultVpc))
            .Where(g => MatchesAll(filters, f => TagFilterValues(f, g.Tags) ?? f switch
            {
                "group-id" => [g.GroupId],
                "group-name" => [g.GroupName],
                "vpc-id" => [g.VpcId],
                "description" => [g.Description],
                "owner-id" => [request.AccountId],
                "ip-permission.cidr" => g.Ingress.Select(r => r.CidrIpv4),
                "ip-permission.from-port" => g.Ingress.Select(r => r.FromPort?.ToString(CultureInfo.InvariantCulture)),
                "ip-permission.to-port" => g.Ingress.Select(r => r.ToPort?.ToString(CultureInfo.InvariantCulture)),
                "ip-permission.protocol" => g.Ingress.Select(r => r.IpProtocol),
                "ip-permission.group-id" => g.Ingress.Select(r => r.ReferencedGroupId),
                _ => null,
            }))
            .ToList();
        if (p.Has("MaxResults") && ids.Count + names.Count > 0)
        {
            throw new ApiException("InvalidParameterCombination", "The parameter groupIds or groupNames cannot be used with the parameter maxResults");
        }

        var (page, next) = Paginate(groups, p);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("securityGroupInfo", page, (x, g) => WriteGroup(x, g, request));
            w.Element("nextToken", next);
        });
    }

    private static void WriteGroup(XmlWriter w, Ec2SecurityGroup group, ApiRequest request)
    {
        w.Element("ownerId", request.AccountId)
            .Element("groupId", group.GroupId)
            .Element("groupName", group.GroupName)
            .Element("groupDescription", group.Description)
            .Element("vpcId", group.VpcId)
            .Element("securityGroupArn", GroupArn(request, group.GroupId));
        WritePermissions(w, "ipPermissions", group.Ingress, request.AccountId);
        WritePermissions(w, "ipPermissionsEgress", group.Egress, request.AccountId);
        w.TagSet(group.Tags);
    }

    /// <summary>Regroups one-peer rules into EC2's <c>IpPermission</c> items (same protocol and ports share an item).</summary>
    private static void WritePermissions(XmlWriter w, string name, IEnumerable<Ec2SecurityGroupRule> rules, string accountId)
    {
        var permissions = rules.GroupBy(r => (r.IpProtocol, r.FromPort, r.ToPort)).ToList();
        w.ItemSet(name, permissions, (x, permission) =>
        {
            x.Element("ipProtocol", permission.Key.IpProtocol)
                .Element("fromPort", permission.Key.FromPort)
                .Element("toPort", permission.Key.ToPort)
                .ItemSet("groups", permission.Where(r => r.ReferencedGroupId is not null), (g, r) => g
                    .Element("description", r.Description)
                    .Element("groupId", r.ReferencedGroupId)
                    .Element("userId", accountId))
                .ItemSet("ipRanges", permission.Where(r => r.CidrIpv4 is not null), (g, r) => g
                    .Element("cidrIp", r.CidrIpv4)
                    .Element("description", r.Description))
                .ItemSet("ipv6Ranges", permission.Where(r => r.CidrIpv6 is not null), (g, r) => g
                    .Element("cidrIpv6", r.CidrIpv6)
                    .Element("description", r.Description))
                .ItemSet("prefixListIds", Array.Empty<string>(), (_, _) => { });
        });
    }

    private async Task<ApiResult> DeleteSecurityGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = FindGroup(scope, request);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        if (group.IsDefault)
        {
            throw new ApiException("CannotDelete", $"the specified group: \"{group.GroupId}\" name: \"default\" cannot be deleted by a user");
        }

        // aws-behaviour.md 2.4: a group still used by an instance, a load balancer or another group's rule.
        var inUse = ec2.Instances.Values.Any(i => i.State != Ec2InstanceState.Terminated && i.SecurityGroupIds.Contains(group.GroupId))
            || ec2.SecurityGroups.Values.Any(g => g.GroupId != group.GroupId && g.Ingress.Concat(g.Egress).Any(r => r.ReferencedGroupId == group.GroupId))
            || _groupReferences.Any(r => r.IsInUse(scope, request.Region, group.GroupId));
        if (inUse)
        {
            throw new ApiException("DependencyViolation", $"resource {group.GroupId} has a dependent object");
        }

        scope.Write<Ec2RegionState>(request.Region).SecurityGroups.Remove(group.GroupId);
        return ApiResult.Xml(w => w.Element("return", true).Element("groupId", group.GroupId));
    }

    private static void ValidateGroupId(string id)
    {
        if (!Ec2Ids.IsWellFormed(id, "sg"))
        {
            throw new ApiException("InvalidGroupId.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"sg-...\")");
        }
    }

    private static Ec2SecurityGroup FindGroupById(AccountScope scope, ApiRequest request)
    {
        var id = request.Parameters.GetRequired("GroupId");
        ValidateGroupId(id);
        return scope.Read<Ec2RegionState>(request.Region).SecurityGroups.GetValueOrDefault(id)
            ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{id}' does not exist");
    }

    /// <summary>The group named by <c>GroupId</c>, or by <c>GroupName</c> in the default VPC.</summary>
    private static Ec2SecurityGroup FindGroup(AccountScope scope, ApiRequest request)
    {
        var p = request.Parameters;
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var id = p.Get("GroupId");
        if (!string.IsNullOrEmpty(id))
        {
            ValidateGroupId(id);
            return ec2.SecurityGroups.GetValueOrDefault(id)
                ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{id}' does not exist");
        }

        var name = p.Get("GroupName");
        if (string.IsNullOrEmpty(name))
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter groupName or groupId");
        }

        var defaultVpc = ec2.DefaultVpc.VpcId;
        return ec2.SecurityGroups.Values.FirstOrDefault(g => g.GroupName == name && g.VpcId == defaultVpc)
            ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{QueryParameters.Shorten(name)}' does not exist in default VPC '{defaultVpc}'");
    }

    [GeneratedRegex(@"\A[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*\z")]
    private static partial Regex GroupText();
}
