using System.Xml;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

public sealed partial class Elbv2Service
{
    /// <summary>Application Load Balancers per region (ELB quotas: 50).</summary>
    public const int MaxLoadBalancersPerRegion = 50;

    private Task<ApiResult> CreateLoadBalancerAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = p.GetRequired("Name");
        Elbv2Names.ValidateLoadBalancerName(name);
        var type = p.Get("Type") ?? "application";
        if (type != "application")
        {
            throw new ApiException("ValidationError", $"Load balancer type '{QueryParameters.Shorten(type)}' is not supported by the sandbox; use 'application'");
        }

        var scheme = p.Get("Scheme") ?? "internet-facing";
        if (scheme is not ("internet-facing" or "internal"))
        {
            throw p.Invalid("Scheme", scheme, "Member must satisfy enum value set: [internet-facing, internal]");
        }

        var ipAddressType = p.Get("IpAddressType") ?? "ipv4";
        if (ipAddressType is not ("ipv4" or "dualstack"))
        {
            throw p.Invalid("IpAddressType", ipAddressType, "Member must satisfy enum value set: [ipv4, dualstack]");
        }

        var subnetIds = p.GetList("Subnets").Concat(p.GetStructs("SubnetMappings").Select(m => m.GetRequired("SubnetId"))).Distinct(StringComparer.Ordinal).ToList();
        var groupIds = p.GetList("SecurityGroups").Distinct(StringComparer.Ordinal).ToList();
        var tags = ReadTags(p);

        return MutateAsync(request, (scope, state) =>
        {
            var ec2 = scope.Read<Ec2RegionState>(request.Region);
            var subnets = new List<Ec2Subnet>();
            foreach (var subnetId in subnetIds)
            {
                subnets.Add(ec2.Subnets.GetValueOrDefault(subnetId)
                    ?? throw new ApiException("SubnetNotFound", $"The subnet ID '{QueryParameters.Shorten(subnetId)}' is not valid"));
            }

            if (subnets.Select(s => s.VpcId).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                throw new ApiException("InvalidConfigurationRequest", "The specified subnets do not belong to the same VPC");
            }

            if (subnets.GroupBy(s => s.AvailabilityZone).Any(g => g.Count() > 1))
            {
                throw new ApiException("InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
            }

            // An ALB needs subnets in at least two Availability Zones (aws-behaviour.md 2.2).
            if (subnets.Count < 2)
            {
                throw new ApiException("ValidationError", "At least two subnets in two different Availability Zones must be specified");
            }

            var vpcId = subnets[0].VpcId;

            // An internet-facing load balancer needs an internet gateway on its VPC (verified against AWS, issue 19).
            if (scheme == "internet-facing" && ec2.GatewayOf(vpcId) is null)
            {
                throw new ApiException("InvalidSubnet", $"VPC {vpcId} has no internet gateway");
            }

            foreach (var groupId in groupIds)
            {
                if (!ec2.SecurityGroups.TryGetValue(groupId, out var group) || group.VpcId != vpcId)
                {
                    throw new ApiException("InvalidSecurityGroup", $"Security group '{QueryParameters.Shorten(groupId)}' does not exist");
                }
            }

            // Without security groups AWS attaches the VPC's default group.
            var securityGroups = groupIds.Count > 0
                ? groupIds
                : [ec2.SecurityGroups.Values.First(g => g.IsDefault && g.VpcId == vpcId).GroupId];
            var zones = subnets.OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal)
                .Select(s => new Elbv2Zone { ZoneName = s.AvailabilityZone, SubnetId = s.SubnetId })
                .ToList();

            var existing = state.LoadBalancers.Values.FirstOrDefault(lb => lb.Name == name);
            if (existing is not null)
            {
                // Create* is idempotent for identical settings (aws-behaviour.md 2.1).
                var same = existing.Scheme == scheme && existing.Type == type && existing.IpAddressType == ipAddressType
                    && existing.Zones.Select(z => z.SubnetId).Order(StringComparer.Ordinal).SequenceEqual(zones.Select(z => z.SubnetId).Order(StringComparer.Ordinal))
                    && existing.SecurityGroups.Order(StringComparer.Ordinal).SequenceEqual(securityGroups.Order(StringComparer.Ordinal));
                if (!same)
                {
                    throw new ApiException("DuplicateLoadBalancerName", $"A load balancer with the same name '{name}' exists, but with different settings");
                }

                return ApiResult.Xml(w => w.MemberList("LoadBalancers", [existing], (x, lb) => WriteLoadBalancer(x, request.Region, lb)));
            }

            // The account's own quota (the portal's class guardrails), with the same code as the regional limit.
            if (_quotas.Find(request.AccountId)?.MaxLoadBalancers is { } quota && state.LoadBalancers.Count >= quota)
            {
                throw new ApiException("TooManyLoadBalancers", $"The maximum number of load balancers ({quota}) has been reached");
            }

            if (state.LoadBalancers.Count >= MaxLoadBalancersPerRegion)
            {
                throw new ApiException("TooManyLoadBalancers", $"The maximum number of load balancers ({MaxLoadBalancersPerRegion}) has been reached");
            }

            var now = _clock.UtcNow;
            var loadBalancer = new Elbv2LoadBalancer
            {
                Arn = Elbv2Names.LoadBalancerArn(request.Region, request.AccountId, name),
                Name = name,
                DnsName = Elbv2Names.DnsName(name, request.Region),
                Scheme = scheme,
                Type = type,
                IpAddressType = ipAddressType,
                VpcId = vpcId,
                Zones = zones,
                SecurityGroups = securityGroups,
                CreatedTime = now,
                ActiveAt = now + _clock.Scaled(Elbv2Names.Provisioning),
                Tags = tags,
            };
            state.LoadBalancers[loadBalancer.Arn] = loadBalancer;
            return ApiResult.Xml(w => w.MemberList("LoadBalancers", [loadBalancer], (x, lb) => WriteLoadBalancer(x, request.Region, lb)));
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeLoadBalancersAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var arns = p.GetList("LoadBalancerArns");
        var names = p.GetList("Names");
        return ReadAsync(request, (_, state) =>
        {
            IEnumerable<Elbv2LoadBalancer> loadBalancers = state.LoadBalancers.Values;
            if (arns.Count > 0)
            {
                if (arns.Any(a => !state.LoadBalancers.ContainsKey(a)))
                {
                    throw new ApiException("LoadBalancerNotFound", "One or more load balancers not found");
                }

                loadBalancers = loadBalancers.Where(lb => arns.Contains(lb.Arn, StringComparer.Ordinal));
            }

            if (names.Count > 0)
            {
                var missing = names.Where(n => state.LoadBalancers.Values.All(lb => lb.Name != n)).ToList();
                if (missing.Count > 0)
                {
                    throw new ApiException("LoadBalancerNotFound", $"Load balancers '[{string.Join(", ", missing.Select(QueryParameters.Shorten))}]' not found");
                }

                loadBalancers = loadBalancers.Where(lb => names.Contains(lb.Name, StringComparer.Ordinal));
            }

            var (page, next) = Page(loadBalancers.OrderBy(lb => lb.Name, StringComparer.Ordinal).ToList(), p);
            return ApiResult.Xml(w =>
            {
                w.MemberList("LoadBalancers", page, (x, lb) => WriteLoadBalancer(x, request.Region, lb));
                w.Element("NextMarker", next);
            });
        }, cancellationToken);
    }

    private Task<ApiResult> DeleteLoadBalancerAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("LoadBalancerArn");
        Elbv2Names.ValidateArn(arn, "loadbalancer", "load balancer");
        return MutateAsync(request, (_, state) =>
        {
            // "If the load balancer does not exist or has already been deleted, the call succeeds" (aws-behaviour.md 2.3).
            if (state.LoadBalancers.TryGetValue(arn, out var loadBalancer))
            {
                if (loadBalancer.Attributes.GetValueOrDefault("deletion_protection.enabled") == "true")
                {
                    throw new ApiException("OperationNotPermitted", $"Load balancer '{arn}' cannot be deleted because deletion protection is enabled");
                }

                var listeners = state.Listeners.Values.Where(l => l.LoadBalancerArn == arn).Select(l => l.Arn).ToHashSet(StringComparer.Ordinal);
                foreach (var rule in state.Rules.Values.Where(r => listeners.Contains(r.ListenerArn)).ToList())
                {
                    state.Rules.Remove(rule.Arn);
                }

                foreach (var listener in listeners)
                {
                    state.Listeners.Remove(listener);
                }

                state.LoadBalancers.Remove(arn);
            }

            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeLoadBalancerAttributesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("LoadBalancerArn");
        return ReadAsync(request, (_, state) =>
        {
            var loadBalancer = state.LoadBalancers.GetValueOrDefault(arn)
                ?? throw new ApiException("LoadBalancerNotFound", "One or more load balancers not found");
            return ApiResult.Xml(w => WriteAttributes(w, loadBalancer.Attributes));
        }, cancellationToken);
    }

    private void WriteLoadBalancer(XmlWriter w, string region, Elbv2LoadBalancer loadBalancer)
    {
        w.Element("LoadBalancerArn", loadBalancer.Arn)
            .Element("DNSName", loadBalancer.DnsName)
            .Element("CanonicalHostedZoneId", Elbv2Names.CanonicalHostedZoneId(region))
            .Element("CreatedTime", loadBalancer.CreatedTime)
            .Element("LoadBalancerName", loadBalancer.Name)
            .Element("Scheme", loadBalancer.Scheme)
            .Element("VpcId", loadBalancer.VpcId)
            .Struct("State", s => s.Element("Code", loadBalancer.IsActive(_clock.UtcNow) ? "active" : "provisioning"))
            .Element("Type", loadBalancer.Type)
            .MemberList("AvailabilityZones", loadBalancer.Zones, (x, z) => x.Element("ZoneName", z.ZoneName).Element("SubnetId", z.SubnetId).MemberList("LoadBalancerAddresses", Array.Empty<string>(), (_, _) => { }))
            .MemberList("SecurityGroups", loadBalancer.SecurityGroups, (x, g) => x.WriteString(g))
            .Element("IpAddressType", loadBalancer.IpAddressType);
    }
}
