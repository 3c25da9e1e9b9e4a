using System.Collections.Concurrent;
using Ec2Api = Amazon.EC2.Model;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>The default VPC, one default subnet in each of the region's a and c zones, and an image id.</summary>
public sealed record LabNetwork(string VpcId, string SubnetA, string SubnetC, string ImageId)
{
    private static readonly ConcurrentDictionary<Uri, Task<LabNetwork>> Cache = new();

    /// <summary>Discovers the network once per server (DescribeImages alone returns over a thousand images on moto).</summary>
    public static Task<LabNetwork> DiscoverAsync(ContractContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Cache.GetOrAdd(context.Server.Endpoint, _ => DiscoverCoreAsync(context));
    }

    private static async Task<LabNetwork> DiscoverCoreAsync(ContractContext context)
    {
        var ec2 = context.Clients.Ec2;
        var region = context.Server.Region;
        var vpcs = await ec2.DescribeVpcsAsync(new Ec2Api.DescribeVpcsRequest
        {
            Filters = [new Ec2Api.Filter { Name = "is-default", Values = ["true"] }],
        });
        var vpcId = Assert.Single(vpcs.Vpcs!).VpcId!;

        var subnets = await ec2.DescribeSubnetsAsync(new Ec2Api.DescribeSubnetsRequest
        {
            Filters =
            [
                new Ec2Api.Filter { Name = "vpc-id", Values = [vpcId] },
                new Ec2Api.Filter { Name = "availability-zone", Values = [region + "a", region + "c"] },
            ],
        });
        var a = subnets.Subnets!.First(s => s.AvailabilityZone == region + "a").SubnetId!;
        var c = subnets.Subnets!.First(s => s.AvailabilityZone == region + "c").SubnetId!;

        var images = await ec2.DescribeImagesAsync(new Ec2Api.DescribeImagesRequest
        {
            Owners = ["amazon"],
            Filters = [new Ec2Api.Filter { Name = "state", Values = ["available"] }],
        });
        var imageId = images.Images![0].ImageId!;
        return new LabNetwork(vpcId, a, c, imageId);
    }
}
