namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Regions and Availability Zones. Any region name works (ARCHITECTURE.md "regions"); Seoul has
/// four zones (ap-northeast-2a..2d) as in AWS, other regions get three.
/// </summary>
public static class Ec2Regions
{
    /// <summary>The regions DescribeRegions lists (enabled by default in a new AWS account).</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
        "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ];

    public static IReadOnlyList<string> AvailabilityZones(string region)
    {
        var count = region == "ap-northeast-2" ? 4 : 3;
        return Enumerable.Range(0, count).Select(i => region + (char)('a' + i)).ToList();
    }

    /// <summary>The zone id, e.g. <c>apne2-az1</c> for ap-northeast-2a (AWS maps names to ids per account; a fixed map is enough here).</summary>
    public static string ZoneId(string zoneName)
    {
        var region = zoneName[..^1];
        var index = zoneName[^1] - 'a' + 1;
        return $"{ShortName(region)}-az{index}";
    }

    private static string ShortName(string region)
    {
        var parts = region.Split('-');
        if (parts.Length < 3)
        {
            return region.Replace("-", string.Empty, StringComparison.Ordinal);
        }

        var direction = parts[1] switch
        {
            "northeast" => "ne",
            "southeast" => "se",
            "northwest" => "nw",
            "southwest" => "sw",
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            "central" => "c",
            var other => other[..1],
        };
        return parts[0] + direction + parts[^1];
    }
}
