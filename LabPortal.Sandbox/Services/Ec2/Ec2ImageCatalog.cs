using System.Security.Cryptography;
using System.Text;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// The public AMIs every region offers. Ids differ per region as in AWS but are stable (derived from
/// the region and the image name), so the SSM public parameters
/// (<c>/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64</c>, ...) and
/// DescribeImages agree, across restarts too. The SSM service reads <see cref="PublicParameters"/>.
/// </summary>
public static class Ec2ImageCatalog
{
    private const string AmazonOwner = "137112412989";
    private const string CanonicalOwner = "099720109477";

    private static readonly (string Name, string Description, string Architecture, string Owner, string Alias, string Created, string[] Parameters)[] Entries =
    [
        ("al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1", "x86_64", AmazonOwner, "amazon", "2024-11-20T21:41:23.000Z",
            ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"]),
        ("al2023-ami-2023.6.20241121.0-kernel-6.1-arm64", "Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1", "arm64", AmazonOwner, "amazon", "2024-11-20T21:41:24.000Z",
            ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64"]),
        // The kernel 6.12 family AWS publishes beside 6.1 (the default stays 6.1; verified against AWS, issue 19).
        ("al2023-ami-2023.9.20251117.1-kernel-6.12-x86_64", "Amazon Linux 2023 AMI 2023.9.20251117.1 x86_64 HVM kernel-6.12", "x86_64", AmazonOwner, "amazon", "2025-11-17T19:32:41.000Z",
            ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-x86_64"]),
        ("al2023-ami-2023.9.20251117.1-kernel-6.12-arm64", "Amazon Linux 2023 AMI 2023.9.20251117.1 arm64 HVM kernel-6.12", "arm64", AmazonOwner, "amazon", "2025-11-17T19:32:44.000Z",
            ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-arm64"]),
        ("amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2", "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2", "x86_64", AmazonOwner, "amazon", "2024-11-13T21:10:01.000Z",
            ["/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2", "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2"]),
        ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119", "Canonical, Ubuntu, 24.04, amd64 noble image", "x86_64", CanonicalOwner, "amazon", "2024-11-19T06:18:10.000Z",
            ["/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"]),
    ];

    public static IReadOnlyList<Ec2Image> For(string region) =>
        Entries.Select(e => new Ec2Image(IdFor(region, e.Name), e.Name, e.Description, e.Architecture, e.Owner, e.Alias, "Linux/UNIX", e.Created, e.Parameters)).ToList();

    public static Ec2Image? Find(string region, string imageId) => For(region).FirstOrDefault(i => i.ImageId == imageId);

    /// <summary>SSM public parameter name to AMI id, for <c>GetParameter(s)</c> on <c>/aws/service/...</c>.</summary>
    public static IReadOnlyDictionary<string, string> PublicParameters(string region) =>
        For(region).SelectMany(i => i.SsmParameterNames.Select(p => (p, i.ImageId))).ToDictionary(x => x.p, x => x.ImageId, StringComparer.Ordinal);

    /// <summary>The prefix by which RunInstances and launch templates take an SSM parameter in place of an AMI id.</summary>
    public const string SsmPrefix = "resolve:ssm:";

    /// <summary>
    /// The AMI id an image id stands for: itself, or for <c>resolve:ssm:name[:version]</c> the public
    /// parameter's value (resolved at launch, as AWS does); null when such a parameter is not in the catalogue.
    /// </summary>
    public static string? ResolveImageId(string region, string imageId)
    {
        if (!imageId.StartsWith(SsmPrefix, StringComparison.Ordinal))
        {
            return imageId;
        }

        var name = imageId[SsmPrefix.Length..];
        // A version (":3") or label may follow the name; the catalogue's public parameters have one value each.
        var colon = name.LastIndexOf(':');
        if (colon > 0)
        {
            name = name[..colon];
        }

        return PublicParameters(region).GetValueOrDefault(name);
    }

    private static string IdFor(string region, string name) =>
        "ami-0" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(region + "/" + name)))[..16];
}
