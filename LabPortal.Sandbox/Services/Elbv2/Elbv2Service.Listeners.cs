using System.Text.RegularExpressions;
using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

public sealed partial class Elbv2Service
{
    private static readonly string[] FixedResponseContentTypes = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"];

    private Task<ApiResult> CreateListenerAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var loadBalancerArn = p.GetRequired("LoadBalancerArn");
        Elbv2Names.ValidateArn(loadBalancerArn, "loadbalancer", "load balancer");
        var protocol = ReadListenerProtocol(p) ?? "HTTP";
        var port = p.GetInt("Port", 1, 65535) ?? throw p.Missing("Port");
        var tags = ReadTags(p);
        return MutateAsync(request, (_, state) =>
        {
            if (!state.LoadBalancers.ContainsKey(loadBalancerArn))
            {
                throw new ApiException("LoadBalancerNotFound", "One or more load balancers not found");
            }

            var actions = ReadActions(p, "DefaultActions", state, loadBalancerArn);
            var existing = state.Listeners.Values.FirstOrDefault(l => l.LoadBalancerArn == loadBalancerArn && l.Port == port);
            if (existing is not null)
            {
                // Identical settings: the call is idempotent (aws-behaviour.md 2.1); otherwise the port is taken.
                if (existing.Protocol == protocol && SameActions(existing.DefaultActions, actions))
                {
                    return ApiResult.Xml(w => w.MemberList("Listeners", [existing], WriteListener));
                }

                throw new ApiException("DuplicateListener", "A listener with the specified port already exists.");
            }

            var arn = Elbv2Names.ListenerArn(loadBalancerArn);
            var listener = new Elbv2Listener
            {
                Arn = arn,
                LoadBalancerArn = loadBalancerArn,
                Port = port,
                Protocol = protocol,
                DefaultActions = actions,
                DefaultRuleArn = Elbv2Names.RuleArn(arn),
                Tags = tags,
            };
            state.Listeners[arn] = listener;
            return ApiResult.Xml(w => w.MemberList("Listeners", [listener], WriteListener));
        }, cancellationToken);
    }

    private Task<ApiResult> DescribeListenersAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var loadBalancerArn = p.Get("LoadBalancerArn");
        var arns = p.GetList("ListenerArns");
        if (loadBalancerArn is null && arns.Count == 0)
        {
            throw new ApiException("ValidationError", "You must specify either listener ARNs or a load balancer ARN");
        }

        return ReadAsync(request, (_, state) =>
        {
            IEnumerable<Elbv2Listener> listeners = state.Listeners.Values;
            if (loadBalancerArn is not null)
            {
                if (!state.LoadBalancers.ContainsKey(loadBalancerArn))
                {
                    throw new ApiException("LoadBalancerNotFound", "One or more load balancers not found");
                }

                listeners = listeners.Where(l => l.LoadBalancerArn == loadBalancerArn);
            }

            if (arns.Count > 0)
            {
                if (arns.Any(a => !state.Listeners.ContainsKey(a)))
                {
                    throw new ApiException("ListenerNotFound", "One or more listeners not found");
                }

                listeners = listeners.Where(l => arns.Contains(l.Arn, StringComparer.Ordinal));
            }

            var (page, next) = Page(listeners.OrderBy(l => l.Port).ToList(), p);
            return ApiResult.Xml(w =>
            {
                w.MemberList("Listeners", page, WriteListener);
                w.Element("NextMarker", next);
            });
        }, cancellationToken);
    }

    private Task<ApiResult> ModifyListenerAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var arn = p.GetRequired("ListenerArn");
        var protocol = ReadListenerProtocol(p);
        var port = p.GetInt("Port", 1, 65535);
        return MutateAsync(request, (_, state) =>
        {
            var listener = state.Listeners.GetValueOrDefault(arn) ?? throw new ApiException("ListenerNotFound", "One or more listeners not found");
            var actions = p.HasAny("DefaultActions") ? ReadActions(p, "DefaultActions", state, listener.LoadBalancerArn) : null;
            if (port is not null && state.Listeners.Values.Any(l => l.LoadBalancerArn == listener.LoadBalancerArn && l.Port == port && l.Arn != arn))
            {
                throw new ApiException("DuplicateListener", "A listener with the specified port already exists.");
            }

            listener.Port = port ?? listener.Port;
            listener.Protocol = protocol ?? listener.Protocol;
            listener.DefaultActions = actions ?? listener.DefaultActions;
            return ApiResult.Xml(w => w.MemberList("Listeners", [listener], WriteListener));
        }, cancellationToken);
    }

    private Task<ApiResult> DeleteListenerAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Parameters.GetRequired("ListenerArn");
        return MutateAsync(request, (_, state) =>
        {
            if (!state.Listeners.Remove(arn))
            {
                throw new ApiException("ListenerNotFound", "One or more listeners not found");
            }

            foreach (var rule in state.Rules.Values.Where(r => r.ListenerArn == arn).ToList())
            {
                state.Rules.Remove(rule.Arn);
            }

            return ApiResult.Xml(_ => { });
        }, cancellationToken);
    }

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

    private static string? ReadListenerProtocol(QueryParameters p)
    {
        var protocol = p.Get("Protocol");
        return protocol switch
        {
            null or "HTTP" => protocol,

            // The sandbox has no certificates (no ACM), so an HTTPS listener cannot be configured.
            "HTTPS" => throw new ApiException("ValidationError", "A certificate must be specified for HTTPS listeners; the sandbox offers HTTP listeners only"),
            _ => throw new ApiException("UnsupportedProtocol", $"Protocol '{QueryParameters.Shorten(protocol)}' is not supported for load balancers of type 'application'"),
        };
    }

    /// <summary>
    /// Reads forward (one target group or weighted ForwardConfig) and fixed-response actions. A
    /// target group can serve one load balancer only (TargetGroupAssociationLimit).
    /// </summary>
    private static List<Elbv2Action> ReadActions(QueryParameters p, string name, Elbv2RegionState state, string loadBalancerArn)
    {
        var items = p.GetStructs(name);
        if (items.Count == 0)
        {
            throw p.Missing(name);
        }

        if (items.Count > 1)
        {
            throw new ApiException("ValidationError", "The sandbox supports one forward or fixed-response action per listener or rule");
        }

        var actions = new List<Elbv2Action>();
        foreach (var item in items)
        {
            var type = item.GetRequired("Type");
            var action = new Elbv2Action { Type = type, Order = item.GetInt("Order", 1, 50000) };
            switch (type)
            {
                case "forward":
                    ReadForward(item, action);
                    foreach (var tuple in action.TargetGroups)
                    {
                        if (!state.TargetGroups.ContainsKey(tuple.TargetGroupArn))
                        {
                            throw new ApiException("TargetGroupNotFound", $"Target groups '{QueryParameters.Shorten(tuple.TargetGroupArn)}' not found");
                        }

                        if (state.LoadBalancersOf(tuple.TargetGroupArn).Any(lb => lb != loadBalancerArn))
                        {
                            throw new ApiException("TargetGroupAssociationLimit", $"The following target groups cannot be associated with more than one load balancer: {tuple.TargetGroupArn}");
                        }
                    }

                    break;
                case "fixed-response":
                    var config = item.Struct("FixedResponseConfig");
                    var status = config.GetRequired("StatusCode");
                    if (!FixedStatusPattern().IsMatch(status))
                    {
                        throw config.Invalid("StatusCode", status, "Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$");
                    }

                    var contentType = config.Get("ContentType");
                    if (contentType is not null && !FixedResponseContentTypes.Contains(contentType, StringComparer.Ordinal))
                    {
                        throw new ApiException("ValidationError", $"Content type '{QueryParameters.Shorten(contentType)}' is not valid; use one of {string.Join(", ", FixedResponseContentTypes)}");
                    }

                    action.FixedStatusCode = status;
                    action.FixedContentType = contentType;
                    action.FixedMessageBody = config.GetString("MessageBody", 1024);
                    break;
                default:
                    throw new ApiException("ValidationError", $"Action type '{QueryParameters.Shorten(type)}' is not supported by the sandbox; use 'forward' or 'fixed-response'");
            }

            actions.Add(action);
        }

        return actions;
    }

    private static void ReadForward(QueryParameters item, Elbv2Action action)
    {
        var single = item.Get("TargetGroupArn");
        var config = item.Struct("ForwardConfig");
        var tuples = config.GetStructs("TargetGroups")
            .Select(t => new Elbv2WeightedTargetGroup { TargetGroupArn = t.GetRequired("TargetGroupArn"), Weight = t.GetInt("Weight", 0, 999) ?? 1 })
            .ToList();
        if (single is not null && tuples.Count > 0 && (tuples.Count != 1 || tuples[0].TargetGroupArn != single))
        {
            throw new ApiException("ValidationError", "You cannot specify both a target group ARN and a forward config with different target groups");
        }

        if (single is null && tuples.Count == 0)
        {
            throw new ApiException("ValidationError", "A target group ARN must be specified for a forward action");
        }

        if (tuples.Count > 5)
        {
            throw new ApiException("ValidationError", "A forward action can have at most 5 target groups");
        }

        if (tuples.Select(t => t.TargetGroupArn).Distinct(StringComparer.Ordinal).Count() != tuples.Count)
        {
            throw new ApiException("ValidationError", "A target group can appear only once in a forward action");
        }

        action.TargetGroupArn = single ?? (tuples.Count == 1 ? tuples[0].TargetGroupArn : null);
        action.TargetGroups = tuples.Count > 0 ? tuples : [new Elbv2WeightedTargetGroup { TargetGroupArn = single!, Weight = 1 }];
        var stickiness = config.Struct("TargetGroupStickinessConfig");
        action.StickinessEnabled = stickiness.GetBool("Enabled") ?? false;
        action.StickinessDurationSeconds = stickiness.GetInt("DurationSeconds", 1, 604800);
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

    private static bool SameActions(List<Elbv2Action> a, List<Elbv2Action> b) =>
        a.Count == b.Count && a.Zip(b).All(pair =>
            pair.First.Type == pair.Second.Type
            && pair.First.FixedStatusCode == pair.Second.FixedStatusCode
            && pair.First.FixedMessageBody == pair.Second.FixedMessageBody
            && pair.First.FixedContentType == pair.Second.FixedContentType
            && pair.First.TargetGroups.Select(t => (t.TargetGroupArn, t.Weight)).SequenceEqual(pair.Second.TargetGroups.Select(t => (t.TargetGroupArn, t.Weight))));

    private static List<RuleView> AllRules(Elbv2RegionState state) =>
        state.Rules.Values.Select(RuleView.Of).Concat(state.Listeners.Values.Select(RuleView.Default)).ToList();

    private static void WriteListener(XmlWriter w, Elbv2Listener listener)
    {
        w.Element("ListenerArn", listener.Arn)
            .Element("LoadBalancerArn", listener.LoadBalancerArn)
            .Element("Port", listener.Port)
            .Element("Protocol", listener.Protocol)
            .MemberList("DefaultActions", listener.DefaultActions, WriteAction);
    }

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

    private static void WriteAction(XmlWriter w, Elbv2Action action)
    {
        w.Element("Type", action.Type).Element("TargetGroupArn", action.TargetGroupArn).Element("Order", action.Order);
        if (action.Type == "forward")
        {
            w.Struct("ForwardConfig", f =>
            {
                f.MemberList("TargetGroups", action.TargetGroups, (x, t) => x.Element("TargetGroupArn", t.TargetGroupArn).Element("Weight", t.Weight));
                f.Struct("TargetGroupStickinessConfig", s => s.Element("Enabled", action.StickinessEnabled).Element("DurationSeconds", action.StickinessDurationSeconds));
            });
        }
        else
        {
            w.Struct("FixedResponseConfig", f => f.Element("MessageBody", action.FixedMessageBody).Element("StatusCode", action.FixedStatusCode).Element("ContentType", action.FixedContentType));
        }
    }

    // ASCII digits only and \z: the router parses this code on every request to the listener.
    [GeneratedRegex(@"\A(2|4|5)[0-9][0-9]\z")]
    private static partial Regex FixedStatusPattern();

    /// <summary>A rule as DescribeRules shows it: a stored rule, or a listener's default rule.</summary>
    private sealed record RuleView(string Arn, string ListenerArn, int Priority, bool IsDefault, List<Elbv2Condition> Conditions, List<Elbv2Action> Actions)
    {
        public static RuleView Of(Elbv2Rule rule) => new(rule.Arn, rule.ListenerArn, rule.Priority, false, rule.Conditions, rule.Actions);

        public static RuleView Default(Elbv2Listener listener) => new(listener.DefaultRuleArn, listener.Arn, 0, true, [], listener.DefaultActions);
    }
}
