using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// Listener rules: create, describe (with each listener's default rule), modify, delete; path-pattern and host-header conditions.
/// </summary>
public sealed partial class Elbv2Service
{
    private Task<ApiResult> CreateRuleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var listenerArn = p.GetRequired("ListenerArn");
        var priority = p.GetRequiredInt("Priority", 1, 50000);
        var conditions = ReadConditions(p);
        if (conditions.Count == 0)
        {
            throw new ApiException("ValidationError", "A rule must have at least one condition");
        }

        var tags = ReadTags(p);
        return MutateAsync(request, (_, state) =>
        {
            var listener = state.Listeners.GetValueOrDefault(listenerArn) ?? throw new ApiException("ListenerNotFound", "One or more listeners not found");
            var actions = ReadActions(p, "Actions", state, listener.LoadBalancerArn);
            if (state.Rules.Values.Any(r => r.ListenerArn == listenerArn && r.Priority == priority))
            {
                throw new ApiException("PriorityInUse", $"Priority '{Number(priority)}' is currently in use");
            }

            var rule = new Elbv2Rule
            {
                Arn = Elbv2Names.RuleArn(listenerArn),
                ListenerArn = listenerArn,
                Priority = priority,
                Conditions = conditions,
                Actions = actions,
                Tags = tags,
            };
            state.Rules[rule.Arn] = rule;
            return ApiResult.Xml(w => w.MemberList("Rules", [RuleView.Of(rule)], WriteRule));
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeRulesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var listenerArn = p.Get("ListenerArn");
        var arns = p.GetList("RuleArns");
        if (listenerArn is null && arns.Count == 0)
        {
            throw new ApiException("ValidationError", "You must specify either listener ARN or rule ARNs");
        }

        return ReadAsync(request, (_, state) =>
        {
            var all = AllRules(state);
            IEnumerable<RuleView> rules = all;
            if (listenerArn is not null)
            {
                if (!state.Listeners.ContainsKey(listenerArn))
                {
                    throw new ApiException("ListenerNotFound", "One or more listeners not found");
                }

                rules = rules.Where(r => r.ListenerArn == listenerArn);
            }

            if (arns.Count > 0)
            {
                if (arns.Any(a => all.All(r => r.Arn != a)))
                {
                    throw new ApiException("RuleNotFound", "One or more rules not found");
                }

                rules = rules.Where(r => arns.Contains(r.Arn, StringComparer.Ordinal));
            }

            var (page, next) = Page(rules.OrderBy(r => r.IsDefault ? int.MaxValue : r.Priority).ToList(), p);
            return ApiResult.Xml(w =>
            {
                w.MemberList("Rules", page, WriteRule);
                w.Element("NextMarker", next);
            });
        }, cancellationToken);
    }

    private Task<ApiResult> ModifyRuleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var arn = p.GetRequired("RuleArn");
        var conditions = p.HasAny("Conditions") ? ReadConditions(p) : null;
        return MutateAsync(request, (_, state) =>
        {
            var defaultOf = state.Listeners.Values.FirstOrDefault(l => l.DefaultRuleArn == arn);
            if (defaultOf is not null)
            {
                if (conditions is not null)
                {
                    throw new ApiException("OperationNotPermitted", "The conditions of a default rule cannot be modified");
                }

                if (p.HasAny("Actions"))
                {
                    defaultOf.DefaultActions = ReadActions(p, "Actions", state, defaultOf.LoadBalancerArn);
                }

                return ApiResult.Xml(w => w.MemberList("Rules", [RuleView.Default(defaultOf)], WriteRule));
            }

            var rule = state.Rules.GetValueOrDefault(arn) ?? throw new ApiException("RuleNotFound", "One or more rules not found");
            var listener = state.Listeners[rule.ListenerArn];
            var actions = p.HasAny("Actions") ? ReadActions(p, "Actions", state, listener.LoadBalancerArn) : null;
            if (conditions is { Count: 0 })
            {
                throw new ApiException("ValidationError", "A rule must have at least one condition");
            }

            rule.Conditions = conditions ?? rule.Conditions;
            rule.Actions = actions ?? rule.Actions;
            return ApiResult.Xml(w => w.MemberList("Rules", [RuleView.Of(rule)], WriteRule));
        }, cancellationToken);
    }

    private Task<ApiResult> DeleteRuleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("RuleArn");
        return MutateAsync(request, (_, state) =>
        {
            if (state.Listeners.Values.Any(l => l.DefaultRuleArn == arn))
            {
                throw new ApiException("OperationNotPermitted", $"Default rule '{arn}' cannot be deleted");
            }

            if (!state.Rules.Remove(arn))
            {
                throw new ApiException("RuleNotFound", "One or more rules not found");
            }

            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

    /// <summary>path-pattern and host-header conditions, from <c>Values</c> or their <c>*Config.Values</c>.</summary>
    private static List<Elbv2Condition> ReadConditions(QueryParameters p)
    {
        var conditions = new List<Elbv2Condition>();
        foreach (var item in p.GetStructs("Conditions"))
        {
            var field = item.GetRequired("Field");
            var values = field switch
            {
                "path-pattern" => item.GetList("Values").Concat(item.Struct("PathPatternConfig").GetList("Values")).ToList(),
                "host-header" => item.GetList("Values").Concat(item.Struct("HostHeaderConfig").GetList("Values")).ToList(),
                _ => throw new ApiException("ValidationError", $"Condition field '{QueryParameters.Shorten(field)}' is not supported by the sandbox; use 'path-pattern' or 'host-header'"),
            };
            if (values.Count == 0)
            {
                throw new ApiException("ValidationError", $"A condition value must be specified for the field '{field}'");
            }

            if (values.Any(v => v.Length is 0 or > 128))
            {
                throw new ApiException("ValidationError", "A condition value must be between 1 and 128 characters long");
            }

            conditions.Add(new Elbv2Condition { Field = field, Values = values });
        }

        return conditions;
    }

    private static List<RuleView> AllRules(Elbv2RegionState state) =>
        state.Rules.Values.Select(RuleView.Of).Concat(state.Listeners.Values.Select(RuleView.Default)).ToList();

    private static void WriteRule(XmlWriter w, RuleView rule)
    {
        w.Element("RuleArn", rule.Arn)
            .Element("Priority", rule.IsDefault ? "default" : Number(rule.Priority))
            .MemberList("Conditions", rule.Conditions, (x, c) =>
            {
                x.Element("Field", c.Field).MemberList("Values", c.Values, (v, value) => v.WriteString(value));
                x.Struct(c.Field == "path-pattern" ? "PathPatternConfig" : "HostHeaderConfig", s => s.MemberList("Values", c.Values, (v, value) => v.WriteString(value)));
            })
            .MemberList("Actions", rule.Actions, WriteAction)
            .Element("IsDefault", rule.IsDefault);
    }

    /// <summary>A rule as DescribeRules shows it: a stored rule, or a listener's default rule.</summary>
    private sealed record RuleView(string Arn, string ListenerArn, int Priority, bool IsDefault, List<Elbv2Condition> Conditions, List<Elbv2Action> Actions)
    {
        public static RuleView Of(Elbv2Rule rule) => new(rule.Arn, rule.ListenerArn, rule.Priority, false, rule.Conditions, rule.Actions);

        public static RuleView Default(Elbv2Listener listener) => new(listener.DefaultRuleArn, listener.Arn, 0, true, [], listener.DefaultActions);
    }
}
