using System.Collections.Frozen;
using System.Globalization;

namespace LabPortal.Sandbox.Wire.Validation;

/// <summary>
/// The filter names each EC2 Describe operation accepts, checked before the handler runs so that an
/// unknown name is refused whether or not the account holds any resource (AWS: <c>InvalidParameterValue</c>,
/// "The filter 'x' is invalid"). A name is accepted when the operation's current model documentation
/// lists it (generated into <c>input-shapes.json</c>) or when an older spelling below maps it to one;
/// aliases are rewritten to the name the handler evaluates, so handlers see one spelling.
/// A name AWS accepts that the sandbox does not evaluate is refused with a sentence that says so
/// (docs/sandbox-differences.md), never silently ignored.
/// <para>
/// To add an operation: one <see cref="Entry"/> with the names its handler evaluates and, if any, the
/// older spellings with their source. Operations not listed here are left to their handlers.
/// </para>
/// </summary>
internal static class Ec2FilterTable
{
    /// <summary><c>tag:&lt;key&gt;</c>, <c>tag-key</c> and <c>tag-value</c>, evaluated by every handler that has tags.</summary>
    private static readonly string[] TagFamily = ["tag:*", "tag-key", "tag-value"];

    // Older spelling kept by AWS for every tagged resource type: tag-value. The current references list
    // only tag and tag-key; earlier ones listed tag-value beside them (Paws::EC2::DescribeVpcs 0.04,
    // metacpan.org: "tag-key ... This filter is independent of the tag-value filter").
    private static readonly Dictionary<string, string> TagValue = new(StringComparer.Ordinal) { ["tag-value"] = "tag-value" };

    private static readonly FrozenDictionary<string, Entry> Operations = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        ["DescribeRegions"] = new(["region-name", "endpoint", "opt-in-status"]),
        ["DescribeAvailabilityZones"] = new(
            ["zone-name", "zone-id", "region-name", "state", "zone-type", "group-name", "network-border-group", "opt-in-status"],
            new(StringComparer.Ordinal)
            {
                // Listed by the API reference between 2020 and 2023 beside group-name, which replaced it in the
                // description; AWS still answers it. No stored copy of that page was found: kept from the
                // sandbox's earlier behaviour so scripts of that time keep working.
                ["network-border-group"] = "network-border-group",
            }),
        ["DescribeVpcs"] = new(
            [.. TagFamily, "vpc-id", "is-default", "cidr", "cidr-block-association.cidr-block", "state", "owner-id", "dhcp-options-id"],
            new(TagValue, StringComparer.Ordinal)
            {
                // rusoto_ec2 0.34 DescribeVpcsRequest (docs.rs, generated from the 2018 EC2 model): "isDefault".
                ["isDefault"] = "is-default",

                // AWS SDK for .NET v1 DescribeVpcsRequest (docs.aws.amazon.com/sdkfornet1): "cidrBlock", "dhcpOptionsId".
                ["cidrBlock"] = "cidr",
                ["dhcpOptionsId"] = "dhcp-options-id",
            }),
        ["DescribeSubnets"] = new(
            [.. TagFamily, "subnet-id", "vpc-id", "availability-zone", "availability-zone-id", "default-for-az", "cidr-block", "map-public-ip-on-launch", "state", "owner-id"],
            new(TagValue, StringComparer.Ordinal)
            {
                // The current reference still names these ("You can also use availabilityZone as the filter
                // name"); rusoto_ec2 0.34 and Paws 0.03 list them as the primary names, with cidr for cidr-block.
                ["availabilityZone"] = "availability-zone",
                ["availabilityZoneId"] = "availability-zone-id",
                ["cidr"] = "cidr-block",
                ["cidrBlock"] = "cidr-block",
                ["defaultForAz"] = "default-for-az",
            }),
        ["DescribeSecurityGroups"] = new(
            [.. TagFamily, "group-id", "group-name", "vpc-id", "description", "owner-id", "ip-permission.cidr", "ip-permission.from-port", "ip-permission.to-port", "ip-permission.protocol", "ip-permission.group-id"],
            TagValue),
        ["DescribeInstances"] = new(
            [
                .. TagFamily, "instance-id", "instance-state-name", "instance-state-code", "subnet-id", "network-interface.subnet-id", "vpc-id",
                "network-interface.vpc-id", "availability-zone", "instance-type", "image-id", "architecture", "key-name", "owner-id", "reservation-id",
                "client-token", "private-ip-address", "network-interface.addresses.private-ip-address", "ip-address", "private-dns-name", "dns-name",
                "instance.group-id", "instance.group-name", "launch-time",
            ],
            new(TagValue, StringComparer.Ordinal)
            {
                // EC2-Classic spellings of instance.group-id / instance.group-name (API reference before 2016);
                // no stored copy of that page was found, kept from the sandbox's earlier behaviour.
                ["group-id"] = "instance.group-id",
                ["group-name"] = "instance.group-name",
            }),
        ["DescribeInstanceStatus"] = new(
            ["availability-zone", "instance-state-name", "instance-state-code", "instance-status.status", "system-status.status", "instance-status.reachability", "system-status.reachability"]),
        ["DescribeImages"] = new(
            [
                .. TagFamily, "name", "image-id", "architecture", "owner-alias", "owner-id", "state", "is-public", "image-type",
                "root-device-type", "root-device-name", "virtualization-type", "hypervisor", "description", "ena-support",
            ],
            TagValue),
        ["DescribeKeyPairs"] = new([.. TagFamily, "key-name", "key-pair-id", "fingerprint"], TagValue),
        ["DescribeLaunchTemplates"] = new([.. TagFamily, "launch-template-name", "create-time"], TagValue),

        // The sandbox reads no filter of DescribeLaunchTemplateVersions yet: each documented name is refused
        // with the "not evaluated" answer rather than ignored.
        ["DescribeLaunchTemplateVersions"] = new([]),
        ["DescribeTags"] = new(["tag:*", "resource-id", "resource-type", "key", "value"]),
        ["DescribeInternetGateways"] = new([.. TagFamily, "internet-gateway-id", "attachment.vpc-id", "attachment.state", "owner-id"], TagValue),
        ["DescribeRouteTables"] = new(
            [
                .. TagFamily, "route-table-id", "vpc-id", "owner-id", "association.main", "association.subnet-id",
                "association.route-table-association-id", "association.route-table-id", "route.destination-cidr-block",
                "route.gateway-id", "route.origin", "route.state",
            ],
            TagValue),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The operations the table covers (for tests and for the lead adding operations).</summary>
    public static IEnumerable<string> CoveredOperations => Operations.Keys;

    /// <summary>Every name <paramref name="operation"/> accepts: documented today or an older spelling.</summary>
    public static IReadOnlySet<string> AcceptedNames(string operation) =>
        Operations.TryGetValue(operation, out var entry)
            ? ServiceModels.Ec2DocumentedFilters(operation).Concat(entry.Aliases.Keys).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The names the sandbox evaluates for <paramref name="operation"/> (<c>tag:*</c> stands for every <c>tag:&lt;key&gt;</c>).</summary>
    public static IReadOnlySet<string> EvaluatedNames(string operation) =>
        Operations.TryGetValue(operation, out var entry) ? entry.Evaluated : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The older spellings of <paramref name="operation"/> and the names they stand for.</summary>
    public static IReadOnlyDictionary<string, string> Aliases(string operation) =>
        Operations.TryGetValue(operation, out var entry) ? entry.Aliases : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Checks every <c>Filter.N.Name</c> of an EC2 request and rewrites older spellings to the name the
    /// handler evaluates. Throws AWS's error for a name the operation does not know.
    /// </summary>
    public static void Normalize(string operation, Dictionary<string, string> parameters)
    {
        if (!Operations.TryGetValue(operation, out var entry))
        {
            return;
        }

        var documented = ServiceModels.Ec2DocumentedFilters(operation);
        foreach (var key in parameters.Keys.Where(IsFilterName).ToList())
        {
            var name = parameters[key];
            var isTag = name.StartsWith("tag:", StringComparison.Ordinal) && name.Length > 4;
            var canonical = entry.Aliases.GetValueOrDefault(name) ?? name;
            if (!isTag && !documented.Contains(name) && !entry.Aliases.ContainsKey(name))
            {
                // EC2 API reference, common client errors; the wording AWS answers for an unknown filter.
                throw new ApiException("InvalidParameterValue", $"The filter '{QueryParameters.Shorten(name)}' is invalid");
            }

            if (!entry.Evaluated.Contains(isTag ? "tag:*" : canonical))
            {
                throw new ApiException(
                    "InvalidParameterValue",
                    $"The filter '{QueryParameters.Shorten(name)}' is valid on AWS, but this sandbox does not evaluate it for {operation}. Filters it evaluates: {string.Join(", ", entry.Evaluated.Order(StringComparer.Ordinal))}.");
            }

            parameters[key] = canonical;
        }
    }

    /// <summary><c>Filter.N.Name</c> with N a positive ASCII number.</summary>
    private static bool IsFilterName(string key) =>
        key.StartsWith("Filter.", StringComparison.Ordinal)
        && key.EndsWith(".Name", StringComparison.Ordinal)
        && key.Length > "Filter..Name".Length
        && AsciiNumber.IsDigits(key.AsSpan("Filter.".Length, key.Length - "Filter..Name".Length))
        && long.TryParse(key.AsSpan("Filter.".Length, key.Length - "Filter..Name".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
        && index >= 1;

    private sealed class Entry(IEnumerable<string> evaluated, Dictionary<string, string>? aliases = null)
    {
        public FrozenSet<string> Evaluated { get; } = evaluated.ToFrozenSet(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, string> Aliases { get; } = aliases ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
