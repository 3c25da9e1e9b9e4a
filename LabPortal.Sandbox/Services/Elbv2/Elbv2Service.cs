using System.Globalization;
using System.Xml;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// Elastic Load Balancing v2 (<c>Version=2015-12-01</c>, Query protocol, signing name
/// <c>elasticloadbalancing</c>): target groups, targets and their health, Application Load
/// Balancers, HTTP listeners, rules and tags. Operations live in partial files by area.
/// </summary>
public sealed partial class Elbv2Service : ApiService
{
    public const string Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    private readonly SandboxState _state;
    private readonly Elbv2TargetGroupMembership _membership;
    private readonly Elbv2Runtime _runtime;
    private readonly SandboxClock _clock;
    private readonly Accounts.AccountQuotaBook _quotas;

    public Elbv2Service(SandboxState state, Elbv2TargetGroupMembership membership, Elbv2Runtime runtime, SandboxClock clock, Accounts.AccountQuotaBook quotas)
        : base("elasticloadbalancing", WireProtocol.Query, Namespace, "2015-12-01")
    {
        _state = state;
        _membership = membership;
        _runtime = runtime;
        _clock = clock;
        _quotas = quotas;

        Add("CreateTargetGroup", CreateTargetGroupAsync);
        Add("DescribeTargetGroups", DescribeTargetGroupsAsync);
        Add("ModifyTargetGroup", ModifyTargetGroupAsync);
        Add("DeleteTargetGroup", DeleteTargetGroupAsync);
        Add("DescribeTargetGroupAttributes", DescribeTargetGroupAttributesAsync);
        Add("ModifyTargetGroupAttributes", ModifyTargetGroupAttributesAsync);
        Add("RegisterTargets", RegisterTargetsAsync);
        Add("DeregisterTargets", DeregisterTargetsAsync);
        Add("DescribeTargetHealth", DescribeTargetHealthAsync);
        Add("CreateLoadBalancer", CreateLoadBalancerAsync);
        Add("DescribeLoadBalancers", DescribeLoadBalancersAsync);
        Add("DeleteLoadBalancer", DeleteLoadBalancerAsync);
        Add("DescribeLoadBalancerAttributes", DescribeLoadBalancerAttributesAsync);
        Add("CreateListener", CreateListenerAsync);
        Add("DescribeListeners", DescribeListenersAsync);
        Add("ModifyListener", ModifyListenerAsync);
        Add("DeleteListener", DeleteListenerAsync);
        Add("CreateRule", CreateRuleAsync);
        Add("DescribeRules", DescribeRulesAsync);
        Add("ModifyRule", ModifyRuleAsync);
        Add("DeleteRule", DeleteRuleAsync);
        Add("AddTags", AddTagsAsync);
        Add("RemoveTags", RemoveTagsAsync);
        Add("DescribeTags", DescribeTagsAsync);
    }

    /// <summary>
    /// Registers an operation behind a version check: Classic Load Balancing (<c>2012-06-01</c>)
    /// shares the signing name <c>elasticloadbalancing</c> (aws-behaviour.md 4.4) and is not
    /// emulated, so its calls must not reach the v2 operations of the same name.
    /// </summary>
    private void Add(string action, ApiHandler handler) => Register(action, (request, cancellationToken) =>
    {
        var version = request.Parameters.Get("Version");
        if (version is not null && version != ApiVersion)
        {
            throw new ApiException("InvalidAction", $"Could not find operation {action} for version {QueryParameters.Shorten(version)}; the sandbox serves Elastic Load Balancing v2 ({ApiVersion}) only");
        }

        return handler(request, cancellationToken);
    });

    /// <summary>
    /// Runs a mutating operation under the account's lock, then publishes the region's state to
    /// the data plane and the health checker. Validation happens before any change, so a refused
    /// call leaves the state as it was.
    /// </summary>
    private async Task<ApiResult> MutateAsync(ApiRequest request, Func<AccountScope, Elbv2RegionState, ApiResult> work, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var state = scope.Write<Elbv2RegionState>(request.Region);
        state.PruneDrained(_clock.UtcNow);
        var result = work(scope, state);
        _runtime.Publish(request.AccountId, request.Region, state);
        return result;
    }

    /// <summary>Runs a read-only operation under the account's lock (draining targets past their delay are dropped first).</summary>
    private async Task<ApiResult> ReadAsync(ApiRequest request, Func<AccountScope, Elbv2RegionState, ApiResult> work, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var state = scope.Read<Elbv2RegionState>(request.Region);
        if (state.PruneDrained(_clock.UtcNow))
        {
            scope.MarkChanged<Elbv2RegionState>(request.Region);
            _runtime.Publish(request.AccountId, request.Region, state);
        }

        return work(scope, state);
    }

    /// <summary>Marker/PageSize paging of the Describe calls (PageSize 1..400; the marker is an offset).</summary>
    private static (List<T> Page, string? NextMarker) Page<T>(IReadOnlyList<T> items, QueryParameters parameters)
    {
        var pageSize = parameters.GetInt("PageSize", 1, 400);
        var marker = parameters.Get("Marker");
        var start = 0;
        if (!string.IsNullOrEmpty(marker)
            && (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw new ApiException("ValidationError", $"Invalid Marker '{QueryParameters.Shorten(marker)}'");
        }

        var size = pageSize ?? 400;
        var page = items.Skip(start).Take(size).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return (page, next);
    }

    private static Dictionary<string, string> ReadTags(QueryParameters parameters, string name = "Tags")
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters.GetTags(name))
        {
            ValidateTagKey(key);
            if (!tags.TryAdd(key, value ?? string.Empty))
            {
                throw new ApiException("DuplicateTagKeys", $"Tag key '{key}' is duplicated");
            }

            if ((value ?? string.Empty).Length > 256)
            {
                throw new ApiException("ValidationError", $"Tag value for key '{key}' cannot be longer than 256 characters");
            }
        }

        return tags;
    }

    private static void ValidateTagKey(string key)
    {
        if (key.Length is 0 or > 128)
        {
            throw new ApiException("ValidationError", $"Tag key '{QueryParameters.Shorten(key)}' must be between 1 and 128 characters long");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException("ValidationError", "Tag keys starting with 'aws:' are reserved for internal use");
        }
    }

    private static void ApplyTags(Dictionary<string, string> target, IReadOnlyDictionary<string, string> tags)
    {
        var merged = new Dictionary<string, string>(target, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        if (merged.Count > Ec2Tags.MaxTagsPerResource)
        {
            throw new ApiException("TooManyTags", $"You have reached the maximum allowed number of tags ({Ec2Tags.MaxTagsPerResource}) for this resource");
        }

        foreach (var (key, value) in tags)
        {
            target[key] = value;
        }
    }

    private static void WriteTags(XmlWriter writer, IReadOnlyDictionary<string, string> tags) =>
        writer.MemberList("Tags", tags.OrderBy(t => t.Key, StringComparer.Ordinal), (w, tag) => w.Element("Key", tag.Key).Element("Value", tag.Value));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
