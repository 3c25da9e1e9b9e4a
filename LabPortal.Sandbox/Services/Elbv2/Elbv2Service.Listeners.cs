using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

public sealed partial class Elbv2Service
{
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

    private static void WriteListener(XmlWriter w, Elbv2Listener listener)
    {
        w.Element("ListenerArn", listener.Arn)
            .Element("LoadBalancerArn", listener.LoadBalancerArn)
            .Element("Port", listener.Port)
            .Element("Protocol", listener.Protocol)
            .MemberList("DefaultActions", listener.DefaultActions, WriteAction);
    }
}
