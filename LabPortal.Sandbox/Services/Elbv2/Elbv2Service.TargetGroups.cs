using System.Text.RegularExpressions;
using System.Xml;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

public sealed partial class Elbv2Service
{
    private Task<ApiResult> CreateTargetGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = p.GetRequired("Name");
        Elbv2Names.ValidateTargetGroupName(name);
        var targetType = p.Get("TargetType") ?? "instance";
        if (targetType != "instance")
        {
            throw new ApiException("ValidationError", $"Target type '{QueryParameters.Shorten(targetType)}' is not supported by the sandbox; use 'instance'");
        }

        var protocol = p.Get("Protocol") ?? throw new ApiException("ValidationError", "A protocol must be specified");
        if (protocol is not ("HTTP" or "HTTPS"))
        {
            throw new ApiException("ValidationError", $"Protocol '{QueryParameters.Shorten(protocol)}' is not supported for target groups of Application Load Balancers; use HTTP or HTTPS");
        }

        var port = p.GetInt("Port", 1, 65535) ?? throw new ApiException("ValidationError", "A port must be specified");
        var vpcId = p.Get("VpcId") ?? throw new ApiException("ValidationError", "A VPC ID must be specified");
        var protocolVersion = p.Get("ProtocolVersion") ?? "HTTP1";
        if (protocolVersion is not ("HTTP1" or "HTTP2" or "GRPC"))
        {
            throw p.Invalid("ProtocolVersion", protocolVersion, "Member must be one of HTTP1, HTTP2, GRPC");
        }

        var tags = ReadTags(p);
        var candidate = new Elbv2TargetGroup
        {
            Name = name,
            Protocol = protocol,
            ProtocolVersion = protocolVersion,
            Port = port,
            VpcId = vpcId,
            TargetType = targetType,
            HealthCheckProtocol = protocol,
        };
        ApplyHealthCheckSettings(candidate, p);

        return MutateAsync(request, (scope, state) =>
        {
            var ec2 = scope.Read<Ec2RegionState>(request.Region);
            if (!ec2.Vpcs.ContainsKey(vpcId))
            {
                throw new ApiException("ValidationError", $"The VPC ID '{QueryParameters.Shorten(vpcId)}' is not found");
            }

            var existing = state.TargetGroups.Values.FirstOrDefault(g => g.Name == name);
            if (existing is not null)
            {
                // Create* is idempotent for identical settings (aws-behaviour.md 2.1).
                if (!SameSettings(existing, candidate))
                {
                    throw new ApiException("DuplicateTargetGroupName", "A target group with the same name '" + name + "' exists, but with different settings");
                }

                return ApiResult.Xml(w => w.MemberList("TargetGroups", [existing], (x, g) => WriteTargetGroup(x, state, g)));
            }

            candidate.Arn = Elbv2Names.TargetGroupArn(request.Region, request.AccountId, name);
            candidate.Tags = tags;
            state.TargetGroups[candidate.Arn] = candidate;
            return ApiResult.Xml(w => w.MemberList("TargetGroups", [candidate], (x, g) => WriteTargetGroup(x, state, g)));
        }, cancellationToken);
    }

    private Task<ApiResult> ModifyTargetGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        Elbv2Names.ValidateArn(arn, "targetgroup", "target group");
        return MutateAsync(request, (_, state) =>
        {
            var group = Elbv2TargetGroupMembership.FindGroup(state, arn);

            // Validate on a copy so a refused change leaves the group untouched.
            var copy = new Elbv2TargetGroup
            {
                Port = group.Port,
                HealthCheckProtocol = group.HealthCheckProtocol,
                HealthCheckPort = group.HealthCheckPort,
                HealthCheckPath = group.HealthCheckPath,
                HealthCheckIntervalSeconds = group.HealthCheckIntervalSeconds,
                HealthCheckTimeoutSeconds = group.HealthCheckTimeoutSeconds,
                HealthyThresholdCount = group.HealthyThresholdCount,
                UnhealthyThresholdCount = group.UnhealthyThresholdCount,
                Matcher = group.Matcher,
            };
            ApplyHealthCheckSettings(copy, request.Parameters);
            group.HealthCheckProtocol = copy.HealthCheckProtocol;
            group.HealthCheckPort = copy.HealthCheckPort;
            group.HealthCheckPath = copy.HealthCheckPath;
            group.HealthCheckIntervalSeconds = copy.HealthCheckIntervalSeconds;
            group.HealthCheckTimeoutSeconds = copy.HealthCheckTimeoutSeconds;
            group.HealthyThresholdCount = copy.HealthyThresholdCount;
            group.UnhealthyThresholdCount = copy.UnhealthyThresholdCount;
            group.Matcher = copy.Matcher;
            return ApiResult.Xml(w => w.MemberList("TargetGroups", [group], (x, g) => WriteTargetGroup(x, state, g)));
        }, cancellationToken);
    }

    /// <summary>Health-check parameters with AWS's ranges (aws-behaviour.md 1.3); absent ones keep the group's value.</summary>
    private static void ApplyHealthCheckSettings(Elbv2TargetGroup group, QueryParameters p)
    {
        if (p.GetBool("HealthCheckEnabled") == false)
        {
            throw new ApiException("ValidationError", "Health check enabled must be true for target groups with target type 'instance'");
        }

        var protocol = p.Get("HealthCheckProtocol");
        if (protocol is not null)
        {
            if (protocol is not ("HTTP" or "HTTPS"))
            {
                throw new ApiException("ValidationError", $"Health check protocol '{QueryParameters.Shorten(protocol)}' is not supported for target groups with the protocol '{group.Protocol}'");
            }

            group.HealthCheckProtocol = protocol;
        }

        var port = p.Get("HealthCheckPort");
        if (port is not null)
        {
            if (port != "traffic-port" && !(int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535))
            {
                throw new ApiException("ValidationError", $"Health check port '{QueryParameters.Shorten(port)}' must be 'traffic-port' or an integer between 1 and 65535");
            }

            group.HealthCheckPort = port;
        }

        var path = p.GetString("HealthCheckPath", 1024);
        if (path is not null)
        {
            if (!path.StartsWith('/'))
            {
                throw new ApiException("ValidationError", $"Health check path '{QueryParameters.Shorten(path)}' must begin with a '/' character");
            }

            group.HealthCheckPath = path;
        }

        group.HealthCheckIntervalSeconds = p.GetInt("HealthCheckIntervalSeconds", 5, 300) ?? group.HealthCheckIntervalSeconds;
        group.HealthCheckTimeoutSeconds = p.GetInt("HealthCheckTimeoutSeconds", 2, 120) ?? group.HealthCheckTimeoutSeconds;
        group.HealthyThresholdCount = p.GetInt("HealthyThresholdCount", 2, 10) ?? group.HealthyThresholdCount;
        group.UnhealthyThresholdCount = p.GetInt("UnhealthyThresholdCount", 2, 10) ?? group.UnhealthyThresholdCount;
        if (group.HealthCheckTimeoutSeconds >= group.HealthCheckIntervalSeconds)
        {
            throw new ApiException(
                "ValidationError",
                $"Health check timeout '{Number(group.HealthCheckTimeoutSeconds)}' must be smaller than the interval '{Number(group.HealthCheckIntervalSeconds)}'");
        }

        var matcher = p.Struct("Matcher").Get("HttpCode");
        if (matcher is not null)
        {
            ValidateMatcher(matcher);
            group.Matcher = matcher;
        }
        else if (p.Struct("Matcher").Get("GrpcCode") is not null)
        {
            throw new ApiException("ValidationError", "A gRPC matcher is only valid for target groups with the protocol version 'GRPC'");
        }
    }

    /// <summary>HTTP matcher: codes or ranges between 200 and 499, comma separated (aws-behaviour.md 1.3).</summary>
    private static void ValidateMatcher(string matcher)
    {
        var valid = MatcherPattern().IsMatch(matcher);
        if (valid)
        {
            foreach (var code in matcher.Split([',', '-']))
            {
                var number = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
                valid &= number is >= 200 and <= 499;
            }
        }

        if (!valid)
        {
            throw new ApiException("ValidationError", $"Health check matcher HTTP code '{QueryParameters.Shorten(matcher)}' must be within '200-499' range");
        }
    }

    private static bool SameSettings(Elbv2TargetGroup a, Elbv2TargetGroup b) =>
        a.Protocol == b.Protocol && a.Port == b.Port && a.VpcId == b.VpcId && a.TargetType == b.TargetType
        && a.ProtocolVersion == b.ProtocolVersion && a.HealthCheckProtocol == b.HealthCheckProtocol
        && a.HealthCheckPort == b.HealthCheckPort && a.HealthCheckPath == b.HealthCheckPath
        && a.HealthCheckIntervalSeconds == b.HealthCheckIntervalSeconds && a.HealthCheckTimeoutSeconds == b.HealthCheckTimeoutSeconds
        && a.HealthyThresholdCount == b.HealthyThresholdCount && a.UnhealthyThresholdCount == b.UnhealthyThresholdCount
        && a.Matcher == b.Matcher;

    private Task<ApiResult> DescribeTargetGroupsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var loadBalancerArn = p.Get("LoadBalancerArn");
        var arns = p.GetList("TargetGroupArns");
        var names = p.GetList("Names");
        return ReadAsync(request, (_, state) =>
        {
            IEnumerable<Elbv2TargetGroup> groups = state.TargetGroups.Values;
            if (loadBalancerArn is not null)
            {
                if (!state.LoadBalancers.ContainsKey(loadBalancerArn))
                {
                    throw new ApiException("LoadBalancerNotFound", "One or more load balancers not found");
                }

                var used = state.TargetGroupsOf(loadBalancerArn).ToHashSet(StringComparer.Ordinal);
                groups = groups.Where(g => used.Contains(g.Arn));
            }

            if (arns.Count > 0)
            {
                if (arns.Any(a => !state.TargetGroups.ContainsKey(a)))
                {
                    throw new ApiException("TargetGroupNotFound", "One or more target groups not found");
                }

                groups = groups.Where(g => arns.Contains(g.Arn, StringComparer.Ordinal));
            }

            if (names.Count > 0)
            {
                var missing = names.Where(n => state.TargetGroups.Values.All(g => g.Name != n)).ToList();
                if (missing.Count > 0)
                {
                    throw new ApiException("TargetGroupNotFound", $"Target groups '{string.Join(", ", missing.Select(QueryParameters.Shorten))}' not found");
                }

                groups = groups.Where(g => names.Contains(g.Name, StringComparer.Ordinal));
            }

            var (page, next) = Page(groups.OrderBy(g => g.Name, StringComparer.Ordinal).ToList(), p);
            return ApiResult.Xml(w =>
            {
                w.MemberList("TargetGroups", page, (x, g) => WriteTargetGroup(x, state, g));
                w.Element("NextMarker", next);
            });
        }, cancellationToken);
    }

    private Task<ApiResult> DeleteTargetGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        Elbv2Names.ValidateArn(arn, "targetgroup", "target group");
        return MutateAsync(request, (_, state) =>
        {
            // Deleting an unknown target group succeeds: the model lists only ResourceInUse (aws-behaviour.md 2.3).
            if (state.TargetGroups.ContainsKey(arn))
            {
                var inUse = state.Listeners.Values.SelectMany(l => l.DefaultActions)
                    .Concat(state.Rules.Values.SelectMany(r => r.Actions))
                    .Any(a => a.TargetGroups.Any(t => t.TargetGroupArn == arn));
                if (inUse)
                {
                    throw new ApiException("ResourceInUse", $"Target group '{arn}' is currently in use by a listener or a rule");
                }

                state.TargetGroups.Remove(arn);
            }

            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeTargetGroupAttributesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        return ReadAsync(request, (_, state) =>
        {
            var group = Elbv2TargetGroupMembership.FindGroup(state, arn);
            return ApiResult.Xml(w => WriteAttributes(w, group.Attributes));
        }, cancellationToken);
    }

    private Task<ApiResult> ModifyTargetGroupAttributesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("TargetGroupArn");
        var changes = request.Parameters.GetStructs("Attributes")
            .Select(a => (Key: a.GetRequired("Key"), Value: a.Get("Value") ?? string.Empty))
            .ToList();
        if (changes.Count == 0)
        {
            throw request.Parameters.Missing("Attributes");
        }

        foreach (var (key, value) in changes)
        {
            Elbv2Attributes.ValidateTargetGroupAttribute(key, value);
        }

        return MutateAsync(request, (_, state) =>
        {
            var group = Elbv2TargetGroupMembership.FindGroup(state, arn);
            foreach (var (key, value) in changes)
            {
                group.Attributes[key] = value;
            }

            // The answer lists the attributes that were modified (ModifyTargetGroupAttributes API reference).
            return ApiResult.Xml(w => WriteAttributes(w, changes.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal)));
        }, cancellationToken);
    }

    private static void WriteTargetGroup(XmlWriter w, Elbv2RegionState state, Elbv2TargetGroup group)
    {
        w.Element("TargetGroupArn", group.Arn)
            .Element("TargetGroupName", group.Name)
            .Element("Protocol", group.Protocol)
            .Element("Port", group.Port)
            .Element("VpcId", group.VpcId)
            .Element("HealthCheckProtocol", group.HealthCheckProtocol)
            .Element("HealthCheckPort", group.HealthCheckPort)
            .Element("HealthCheckEnabled", true)
            .Element("HealthCheckIntervalSeconds", group.HealthCheckIntervalSeconds)
            .Element("HealthCheckTimeoutSeconds", group.HealthCheckTimeoutSeconds)
            .Element("HealthyThresholdCount", group.HealthyThresholdCount)
            .Element("UnhealthyThresholdCount", group.UnhealthyThresholdCount)
            .Element("HealthCheckPath", group.HealthCheckPath)
            .Struct("Matcher", m => m.Element("HttpCode", group.Matcher))
            .MemberList("LoadBalancerArns", state.LoadBalancersOf(group.Arn), (x, arn) => x.WriteString(arn))
            .Element("TargetType", group.TargetType)
            .Element("ProtocolVersion", group.ProtocolVersion)
            .Element("IpAddressType", group.IpAddressType);
    }

    private static void WriteAttributes(XmlWriter w, IReadOnlyDictionary<string, string> attributes) =>
        w.MemberList("Attributes", attributes.OrderBy(a => a.Key, StringComparer.Ordinal), (x, a) => x.Element("Key", a.Key).Element("Value", a.Value));

    // ASCII digits only ([0-9], not \d, which takes every Unicode digit) and \z, not $, which would let "200\n" through.
    [GeneratedRegex(@"\A[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*\z")]
    private static partial Regex MatcherPattern();
}
