using System.Globalization;
using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Security group rules: authorize and revoke ingress and egress, reading IpPermissions into one-peer rules with EC2's checks.
/// </summary>
public sealed partial class Ec2Service
{
    private Task<ApiResult> AuthorizeSecurityGroupIngressAsync(ApiRequest request, CancellationToken cancellationToken) =>
        AuthorizeAsync(request, egress: false, cancellationToken);

    private Task<ApiResult> AuthorizeSecurityGroupEgressAsync(ApiRequest request, CancellationToken cancellationToken) =>
        AuthorizeAsync(request, egress: true, cancellationToken);

    private Task<ApiResult> RevokeSecurityGroupIngressAsync(ApiRequest request, CancellationToken cancellationToken) =>
        RevokeAsync(request, egress: false, cancellationToken);

    private Task<ApiResult> RevokeSecurityGroupEgressAsync(ApiRequest request, CancellationToken cancellationToken) =>
        RevokeAsync(request, egress: true, cancellationToken);

    private const int MaxRulesPerGroup = 60;

    private async Task<ApiResult> AuthorizeAsync(ApiRequest request, bool egress, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var tagSpecs = Ec2Tags.ReadSpecifications(p, "TagSpecification", "security-group-rule");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);

        // The egress calls take only GroupId (EC2 API reference, AuthorizeSecurityGroupEgress).
        var group = egress ? FindGroupById(scope, request) : FindGroup(scope, request);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var rules = ReadRules(p, ec2, group);
        var existing = egress ? group.Egress : group.Ingress;
        foreach (var rule in rules)
        {
            if (existing.Any(r => r.SameAs(rule)) || rules.Count(r => r.SameAs(rule)) > 1)
            {
                throw new ApiException("InvalidPermission.Duplicate", $"the specified rule \"{Describe(rule)}\" already exists");
            }
        }

        // 60 inbound and 60 outbound rules per group, IPv4 and IPv6 counted apart (VPC quotas, "Inbound or
        // outbound rules per security group"; verified against AWS, issue 19).
        var ipv6 = existing.Count(r => r.CidrIpv6 is not null) + rules.Count(r => r.CidrIpv6 is not null);
        var ipv4 = existing.Count(r => r.CidrIpv6 is null) + rules.Count(r => r.CidrIpv6 is null);
        if (ipv4 > MaxRulesPerGroup || ipv6 > MaxRulesPerGroup)
        {
            throw new ApiException("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.");
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        existing.AddRange(rules);
        var tags = tagSpecs.GetValueOrDefault("security-group-rule") ?? [];
        return ApiResult.Xml(w => w
            .Element("return", true)
            .ItemSet("securityGroupRuleSet", rules, (x, r) => WriteRule(x, r, group.GroupId, request.AccountId, egress, tags)));
    }

    private async Task<ApiResult> RevokeAsync(ApiRequest request, bool egress, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ruleIds = p.GetList("SecurityGroupRuleId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = egress ? FindGroupById(scope, request) : FindGroup(scope, request);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var existing = egress ? group.Egress : group.Ingress;
        var removed = new List<Ec2SecurityGroupRule>();
        foreach (var ruleId in ruleIds)
        {
            removed.Add(existing.FirstOrDefault(r => r.RuleId == ruleId)
                ?? throw new ApiException("InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{QueryParameters.Shorten(ruleId)}' does not exist"));
        }

        if (ruleIds.Count == 0)
        {
            foreach (var rule in ReadRules(p, ec2, group))
            {
                // VPC groups answer an error for a rule that is not there (EC2 API reference, RevokeSecurityGroupIngress).
                removed.Add(existing.FirstOrDefault(r => r.SameAs(rule))
                    ?? throw new ApiException("InvalidPermission.NotFound", "The specified rule does not exist in this security group."));
            }
        }

        scope.MarkChanged<Ec2RegionState>(request.Region);
        existing.RemoveAll(removed.Contains);
        return ApiResult.Xml(w => w
            .Element("return", true)
            .ItemSet("revokedSecurityGroupRuleSet", removed, (x, r) => x
                .Element("securityGroupRuleId", r.RuleId)
                .Element("groupId", group.GroupId)
                .Element("isEgress", egress)
                .Element("ipProtocol", r.IpProtocol)
                .Element("fromPort", r.FromPort)
                .Element("toPort", r.ToPort)
                .Element("cidrIpv4", r.CidrIpv4)
                .Element("cidrIpv6", r.CidrIpv6)
                .Element("referencedGroupId", r.ReferencedGroupId)
                .Element("description", r.Description)));
    }

    /// <summary>Reads <c>IpPermissions.N</c> (and the legacy top-level <c>IpProtocol/FromPort/ToPort/CidrIp</c>) into one-peer rules.</summary>
    private static List<Ec2SecurityGroupRule> ReadRules(QueryParameters p, Ec2RegionState ec2, Ec2SecurityGroup group)
    {
        var rules = new List<Ec2SecurityGroupRule>();
        foreach (var permission in p.GetStructs("IpPermissions"))
        {
            var (protocol, from, to) = ReadProtocol(permission);
            var before = rules.Count;
            foreach (var range in permission.GetStructs("IpRanges"))
            {
                rules.Add(NewRule(protocol, from, to, cidr: ValidCidr(range.GetRequired("CidrIp")), description: ValidDescription(range.Get("Description"))));
            }

            foreach (var range in permission.GetStructs("Ipv6Ranges"))
            {
                var cidr = range.GetRequired("CidrIpv6");
                if (!Ec2Cidr.IsIpv6Cidr(cidr))
                {
                    throw new ApiException("InvalidParameterValue", $"CIDR block {QueryParameters.Shorten(cidr)} is malformed");
                }

                rules.Add(NewRule(protocol, from, to, cidrIpv6: cidr, description: ValidDescription(range.Get("Description"))));
            }

            foreach (var pair in permission.GetStructs("Groups"))
            {
                var referenced = ReferencedGroup(ec2, group, pair.Get("GroupId"), pair.Get("GroupName"));
                rules.Add(NewRule(protocol, from, to, groupId: referenced, description: ValidDescription(pair.Get("Description"))));
            }

            if (rules.Count == before)
            {
                throw new ApiException("InvalidParameterValue", "The request must specify at least one source: IpRanges, Ipv6Ranges or UserIdGroupPairs.");
            }
        }

        if (p.Has("IpProtocol") || p.Has("CidrIp") || p.Has("SourceSecurityGroupName"))
        {
            var (protocol, from, to) = ReadProtocol(p);
            if (p.Get("SourceSecurityGroupName") is { } sourceName)
            {
                rules.Add(NewRule(protocol, from, to, groupId: ReferencedGroup(ec2, group, null, sourceName)));
            }
            else
            {
                rules.Add(NewRule(protocol, from, to, cidr: ValidCidr(p.GetRequired("CidrIp"))));
            }
        }

        if (rules.Count == 0)
        {
            throw new ApiException("MissingParameter", "Either 'ipPermissions' or 'securityGroupRuleIds' should be provided.");
        }

        return rules;
    }

    private static (string Protocol, int? From, int? To) ReadProtocol(QueryParameters p)
    {
        var raw = p.GetRequired("IpProtocol").ToLowerInvariant();
        var protocol = raw switch
        {
            "all" => "-1",
            "tcp" or "udp" or "icmp" or "icmpv6" or "-1" => raw,
            _ when int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 255 => raw,
            _ => throw new ApiException("InvalidParameterValue", $"Invalid value '{QueryParameters.Shorten(raw)}' for IP protocol. Unknown protocol."),
        };
        if (protocol == "-1")
        {
            // All traffic: EC2 ignores ports and reports none.
            return (protocol, null, null);
        }

        var from = p.GetInt("FromPort", -1, 65535);
        var to = p.GetInt("ToPort", -1, 65535);
        if (protocol is "tcp" or "udp")
        {
            if (from is null || to is null || from < 0 || to < 0 || from > to)
            {
                throw new ApiException("InvalidParameterValue", $"Invalid TCP/UDP port range: from port {from?.ToString(CultureInfo.InvariantCulture) ?? "null"} to port {to?.ToString(CultureInfo.InvariantCulture) ?? "null"}.");
            }
        }

        return (protocol, from ?? -1, to ?? -1);
    }

    private static string ValidCidr(string cidr)
    {
        if (!Ec2Cidr.TryParse(cidr, out _, out _))
        {
            throw new ApiException("InvalidParameterValue", $"CIDR block {QueryParameters.Shorten(cidr)} is malformed");
        }

        return cidr;
    }

    private static string? ValidDescription(string? description)
    {
        if (description is not null && (description.Length > 255 || !GroupText().IsMatch(description)))
        {
            throw new ApiException("InvalidParameterValue", $"Invalid rule description. Valid descriptions are strings less than 256 characters from the following set: {GroupCharacters}");
        }

        return description;
    }

    private static string ReferencedGroup(Ec2RegionState ec2, Ec2SecurityGroup group, string? id, string? name)
    {
        if (!string.IsNullOrEmpty(id))
        {
            ValidateGroupId(id);
            return ec2.SecurityGroups.ContainsKey(id) ? id : throw new ApiException("InvalidGroup.NotFound", $"The security group '{id}' does not exist");
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter groupId or groupName of the referenced group");
        }

        return ec2.SecurityGroups.Values.FirstOrDefault(g => g.GroupName == name && g.VpcId == group.VpcId)?.GroupId
            ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{QueryParameters.Shorten(name)}' does not exist in VPC '{group.VpcId}'");
    }

    private static Ec2SecurityGroupRule NewRule(string protocol, int? from, int? to, string? cidr = null, string? cidrIpv6 = null, string? groupId = null, string? description = null) => new()
    {
        RuleId = Ec2Ids.New("sgr"),
        IpProtocol = protocol,
        FromPort = from,
        ToPort = to,
        CidrIpv4 = cidr,
        CidrIpv6 = cidrIpv6,
        ReferencedGroupId = groupId,
        Description = description,
    };

    private static string Describe(Ec2SecurityGroupRule rule) =>
        $"peer: {rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.ReferencedGroupId}, {rule.IpProtocol.ToUpperInvariant()}, from port: {rule.FromPort}, to port: {rule.ToPort}, ALLOW";

    private static void WriteRule(XmlWriter w, Ec2SecurityGroupRule rule, string groupId, string accountId, bool egress, IReadOnlyDictionary<string, string> tags)
    {
        w.Element("securityGroupRuleId", rule.RuleId)
            .Element("groupId", groupId)
            .Element("groupOwnerId", accountId)
            .Element("isEgress", egress)
            .Element("ipProtocol", rule.IpProtocol)
            .Element("fromPort", rule.FromPort ?? -1)
            .Element("toPort", rule.ToPort ?? -1)
            .Element("cidrIpv4", rule.CidrIpv4)
            .Element("cidrIpv6", rule.CidrIpv6);
        if (rule.ReferencedGroupId is not null)
        {
            w.Struct("referencedGroupInfo", x => x.Element("groupId", rule.ReferencedGroupId).Element("userId", accountId));
        }

        w.Element("description", rule.Description).TagSet(tags);
    }
}
