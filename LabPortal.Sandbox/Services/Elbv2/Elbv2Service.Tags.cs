using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

public sealed partial class Elbv2Service
{
    private Task<ApiResult> AddTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var arns = ReadResourceArns(p);
        var tags = ReadTags(p);
        if (tags.Count == 0)
        {
            throw p.Missing("Tags");
        }

        return MutateAsync(request, (_, state) =>
        {
            var targets = arns.Select(arn => TagsOf(state, arn)).ToList();
            foreach (var target in targets)
            {
                ApplyTags(target, tags);
            }

            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    private Task<ApiResult> RemoveTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var arns = ReadResourceArns(p);
        var keys = p.GetList("TagKeys");
        if (keys.Count == 0)
        {
            throw p.Missing("TagKeys");
        }

        return MutateAsync(request, (_, state) =>
        {
            foreach (var tags in arns.Select(arn => TagsOf(state, arn)).ToList())
            {
                foreach (var key in keys)
                {
                    tags.Remove(key);
                }
            }

            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arns = ReadResourceArns(request.Parameters);
        return ReadAsync(request, (_, state) =>
        {
            var described = arns.Select(arn => (Arn: arn, Tags: TagsOf(state, arn))).ToList();
            return ApiResult.Xml(w => w.MemberList("TagDescriptions", described, (x, d) =>
            {
                x.Element("ResourceArn", d.Arn);
                WriteTags(x, d.Tags);
            }));
        }, cancellationToken);
    }

    private static IReadOnlyList<string> ReadResourceArns(QueryParameters p)
    {
        var arns = p.GetList("ResourceArns");
        if (arns.Count == 0)
        {
            throw p.Missing("ResourceArns");
        }

        if (arns.Count > 20)
        {
            throw p.Invalid("ResourceArns", string.Join(",", arns), "Member must have length less than or equal to 20");
        }

        return arns;
    }

    /// <summary>The tag set of a load balancer, target group, listener or rule, with the kind's own not-found error.</summary>
    private static Dictionary<string, string> TagsOf(Elbv2RegionState state, string arn)
    {
        if (arn.Contains(":targetgroup/", StringComparison.Ordinal))
        {
            return state.TargetGroups.GetValueOrDefault(arn)?.Tags
                ?? throw new ApiException("TargetGroupNotFound", $"Target groups '{QueryParameters.Shorten(arn)}' not found");
        }

        if (arn.Contains(":loadbalancer/", StringComparison.Ordinal))
        {
            return state.LoadBalancers.GetValueOrDefault(arn)?.Tags
                ?? throw new ApiException("LoadBalancerNotFound", "One or more load balancers not found");
        }

        if (arn.Contains(":listener-rule/", StringComparison.Ordinal))
        {
            return state.Rules.GetValueOrDefault(arn)?.Tags
                ?? state.Listeners.Values.FirstOrDefault(l => l.DefaultRuleArn == arn)?.DefaultRuleTags
                ?? throw new ApiException("RuleNotFound", "One or more rules not found");
        }

        if (arn.Contains(":listener/", StringComparison.Ordinal))
        {
            return state.Listeners.GetValueOrDefault(arn)?.Tags
                ?? throw new ApiException("ListenerNotFound", "One or more listeners not found");
        }

        throw new ApiException("ValidationError", $"'{QueryParameters.Shorten(arn)}' is not a valid Elastic Load Balancing resource ARN");
    }
}
