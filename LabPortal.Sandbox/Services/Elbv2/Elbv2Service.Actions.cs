using System.Text.RegularExpressions;
using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// The actions of listeners and rules: forward (one target group or weighted) and fixed-response, as read from a request and written in a response.
/// </summary>
public sealed partial class Elbv2Service
{
    private static readonly string[] FixedResponseContentTypes = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"];

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

    private static bool SameActions(List<Elbv2Action> a, List<Elbv2Action> b) =>
        a.Count == b.Count && a.Zip(b).All(pair =>
            pair.First.Type == pair.Second.Type
            && pair.First.FixedStatusCode == pair.Second.FixedStatusCode
            && pair.First.FixedMessageBody == pair.Second.FixedMessageBody
            && pair.First.FixedContentType == pair.Second.FixedContentType
            && pair.First.TargetGroups.Select(t => (t.TargetGroupArn, t.Weight)).SequenceEqual(pair.Second.TargetGroups.Select(t => (t.TargetGroupArn, t.Weight))));

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
}
