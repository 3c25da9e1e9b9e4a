using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// EC2 (<c>Version=2016-11-15</c>, <c>ec2</c> protocol): the operations a lab's VPC, security group,
/// instance and launch template steps use. Operations live in partial files by area.
/// </summary>
public sealed partial class Ec2Service : ApiService
{
    public const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private readonly SandboxState _state;
    private readonly Ec2Instances _instances;
    private readonly IEnumerable<ISecurityGroupReferences> _groupReferences;
    private readonly IEnumerable<INetworkReferences> _networkReferences;
    private readonly SandboxClock _clock;

    public Ec2Service(SandboxState state, Ec2Instances instances, IEnumerable<ISecurityGroupReferences> groupReferences, IEnumerable<INetworkReferences> networkReferences, SandboxClock clock)
        : base("ec2", WireProtocol.Ec2, Namespace, "2016-11-15")
    {
        _state = state;
        _instances = instances;
        _groupReferences = groupReferences;
        _networkReferences = networkReferences;
        _clock = clock;

        Add("DescribeRegions", DescribeRegionsAsync);
        Add("DescribeAvailabilityZones", DescribeAvailabilityZonesAsync);
        Add("DescribeVpcs", DescribeVpcsAsync);
        Add("DescribeSubnets", DescribeSubnetsAsync);
        Add("CreateSecurityGroup", CreateSecurityGroupAsync);
        Add("DescribeSecurityGroups", DescribeSecurityGroupsAsync);
        Add("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressAsync);
        Add("RevokeSecurityGroupIngress", RevokeSecurityGroupIngressAsync);
        Add("AuthorizeSecurityGroupEgress", AuthorizeSecurityGroupEgressAsync);
        Add("RevokeSecurityGroupEgress", RevokeSecurityGroupEgressAsync);
        Add("DeleteSecurityGroup", DeleteSecurityGroupAsync);
        Add("RunInstances", RunInstancesAsync);
        Add("DescribeInstances", DescribeInstancesAsync);
        Add("StopInstances", StopInstancesAsync);
        Add("StartInstances", StartInstancesAsync);
        Add("TerminateInstances", TerminateInstancesAsync);
        Add("GetConsoleOutput", GetConsoleOutputAsync);
        Add("DescribeInstanceAttribute", DescribeInstanceAttributeAsync);
        Add("ModifyInstanceAttribute", ModifyInstanceAttributeAsync);
        Add("CreateTags", CreateTagsAsync);
        Add("DeleteTags", DeleteTagsAsync);
        Add("DescribeTags", DescribeTagsAsync);
        Add("DescribeImages", DescribeImagesAsync);
        Add("CreateKeyPair", CreateKeyPairAsync);
        Add("DescribeKeyPairs", DescribeKeyPairsAsync);
        Add("DeleteKeyPair", DeleteKeyPairAsync);
        Add("CreateLaunchTemplate", CreateLaunchTemplateAsync);
        Add("DescribeLaunchTemplates", DescribeLaunchTemplatesAsync);
        Add("DescribeLaunchTemplateVersions", DescribeLaunchTemplateVersionsAsync);
        Add("DeleteLaunchTemplate", DeleteLaunchTemplateAsync);
        Add("CreateLaunchTemplateVersion", CreateLaunchTemplateVersionAsync);
        Add("ModifyLaunchTemplate", ModifyLaunchTemplateAsync);
        Add("DescribeInstanceStatus", DescribeInstanceStatusAsync);
        Add("CreateVpc", CreateVpcAsync);
        Add("DeleteVpc", DeleteVpcAsync);
        Add("CreateSubnet", CreateSubnetAsync);
        Add("ModifySubnetAttribute", ModifySubnetAttributeAsync);
        Add("DeleteSubnet", DeleteSubnetAsync);
        Add("CreateInternetGateway", CreateInternetGatewayAsync);
        Add("AttachInternetGateway", AttachInternetGatewayAsync);
        Add("DetachInternetGateway", DetachInternetGatewayAsync);
        Add("DeleteInternetGateway", DeleteInternetGatewayAsync);
        Add("DescribeInternetGateways", DescribeInternetGatewaysAsync);
        Add("CreateRouteTable", CreateRouteTableAsync);
        Add("DeleteRouteTable", DeleteRouteTableAsync);
        Add("DescribeRouteTables", DescribeRouteTablesAsync);
        Add("CreateRoute", CreateRouteAsync);
        Add("DeleteRoute", DeleteRouteAsync);
        Add("AssociateRouteTable", AssociateRouteTableAsync);
        Add("DisassociateRouteTable", DisassociateRouteTableAsync);
    }

    private static readonly RateLimit NonMutating = new("non-mutating", 100, 20);
    private static readonly RateLimit UnfilteredNonMutating = new("unfiltered-non-mutating", 50, 10);
    private static readonly RateLimit Mutating = new("mutating", 50, 5);
    private static readonly RateLimit ResourceIntensive = new("resource-intensive", 50, 5);

    private static readonly Dictionary<string, RateLimit> Uncategorized = new(StringComparer.Ordinal)
    {
        ["RunInstances"] = new("RunInstances", 5, 2),
        ["StartInstances"] = new("StartInstances", 5, 2),
        ["TerminateInstances"] = new("TerminateInstances", 100, 5),
        ["CreateTags"] = new("CreateTags", 100, 10),
        ["CreateLaunchTemplateVersion"] = new("CreateLaunchTemplateVersion", 100, 5),
    };

    /// <summary>
    /// EC2's request token buckets per account and Region (aws-behaviour.md 5.1, EC2 developer
    /// guide "Request throttling"): uncategorized actions have their own bucket; Describe calls
    /// without filters or pagination on the heavy resources draw from a smaller one. Resource
    /// token buckets (instances affected) are not modelled.
    /// </summary>
    public override IReadOnlyList<RateLimit> RateLimitsFor(ApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request.Action;
        if (Uncategorized.TryGetValue(action, out var own))
        {
            return [own];
        }

        if (action is "AuthorizeSecurityGroupIngress" or "RevokeSecurityGroupIngress" or "AuthorizeSecurityGroupEgress" or "RevokeSecurityGroupEgress" or "CreateKeyPair")
        {
            return [ResourceIntensive];
        }

        if (action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal))
        {
            var heavy = action is "DescribeInstances" or "DescribeInstanceStatus" or "DescribeSecurityGroups";
            var p = request.Parameters;
            var unfiltered = !p.HasAny("Filter") && !p.Has("MaxResults") && !p.HasAny("InstanceId") && !p.HasAny("GroupId") && !p.HasAny("GroupName");
            return [heavy && unfiltered ? UnfilteredNonMutating : NonMutating];
        }

        return [Mutating];
    }

    /// <summary>
    /// Registers an operation behind EC2's <c>DryRun</c> check: "Request would have succeeded, but
    /// DryRun flag is set." (HTTP 412, aws-behaviour.md 2.4). The sandbox grants every permission, so
    /// a dry run only needs the parameters to parse.
    /// </summary>
    private void Add(string action, ApiHandler handler) => Register(action, async (request, cancellationToken) =>
    {
        if (request.Parameters.GetBool("DryRun") == true)
        {
            throw new ApiException("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
        }

        return await handler(request, cancellationToken);
    });

    /// <summary>Applies MaxResults/NextToken to an ordered list (EC2 paginated Describe calls).</summary>
    private static (List<T> Page, string? NextToken) Paginate<T>(IReadOnlyList<T> items, QueryParameters parameters, int min = 5, int max = 1000)
    {
        var maxResults = parameters.GetInt("MaxResults", min, max);
        var token = parameters.Get("NextToken");
        var start = 0;
        if (!string.IsNullOrEmpty(token))
        {
            if (!int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out start) || start > items.Count)
            {
                throw new ApiException("InvalidPaginationToken", $"Invalid pagination token: {QueryParameters.Shorten(token)}");
            }
        }

        if (maxResults is null)
        {
            return (items.Skip(start).ToList(), null);
        }

        var page = items.Skip(start).Take(maxResults.Value).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return (page, next);
    }

    /// <summary>Answers EC2's error for an unknown filter name.</summary>
    private static ApiException UnknownFilter(string name) =>
        new("InvalidParameterValue", $"The filter '{QueryParameters.Shorten(name)}' is invalid");

    /// <summary>Values a resource offers to <c>tag:Key</c>, <c>tag-key</c> and <c>tag-value</c> filters, or null for another filter.</summary>
    private static IEnumerable<string?>? TagFilterValues(string filterName, IReadOnlyDictionary<string, string> tags)
    {
        if (filterName.StartsWith("tag:", StringComparison.Ordinal))
        {
            return tags.TryGetValue(filterName[4..], out var value) ? [value] : [];
        }

        return filterName switch
        {
            "tag-key" => tags.Keys,
            "tag-value" => tags.Values,
            _ => null,
        };
    }

    /// <summary>True when every filter matches (filters are AND-ed, their values OR-ed).</summary>
    private static bool MatchesAll(IReadOnlyList<QueryFilter> filters, Func<string, IEnumerable<string?>?> valuesOf)
    {
        foreach (var filter in filters)
        {
            var values = valuesOf(filter.Name) ?? throw UnknownFilter(filter.Name);
            if (!filter.Matches(values))
            {
                return false;
            }
        }

        return true;
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
