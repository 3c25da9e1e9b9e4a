using System.Security.Cryptography;
using System.Text.Json;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// The checks RunInstances makes before it launches anything, each answering with EC2's error code:
/// image, launch template and version, subnet, security groups, requested private address, user
/// data and instance profile; and the fingerprint that makes a client token idempotent.
/// </summary>
internal static partial class Ec2LaunchChecks
{
    private const int MaxUserDataBytes = 16 * 1024;

    public static Ec2Image FindImage(string region, string requested)
    {
        var imageId = Ec2ImageCatalog.ResolveImageId(region, requested)
            ?? throw new ApiException("InvalidParameterValue", $"Unable to resolve the SSM parameter in '{QueryParameters.Shorten(requested)}': no such public parameter in this region.");
        if (!Ec2Ids.IsWellFormed(imageId, "ami"))
        {
            throw new ApiException("InvalidAMIID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(imageId)}\" (expecting \"ami-...\")");
        }

        return Ec2ImageCatalog.Find(region, imageId)
            ?? throw new ApiException("InvalidAMIID.NotFound", $"The image id '[{imageId}]' does not exist");
    }

    public static Ec2LaunchTemplate? ResolveTemplate(Ec2RegionState ec2, InstanceLaunchSpec spec)
    {
        if (spec.LaunchTemplateId is null && spec.LaunchTemplateName is null)
        {
            return null;
        }

        return spec.LaunchTemplateId is not null
            ? ec2.LaunchTemplates.GetValueOrDefault(spec.LaunchTemplateId)
                ?? throw new ApiException("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {QueryParameters.Shorten(spec.LaunchTemplateId)}, does not exist.")
            : ec2.LaunchTemplates.Values.FirstOrDefault(t => t.LaunchTemplateName == spec.LaunchTemplateName)
                ?? throw new ApiException("InvalidLaunchTemplateName.NotFoundException", $"The specified launch template, with template name {QueryParameters.Shorten(spec.LaunchTemplateName!)}, does not exist.");
    }

    public static Ec2LaunchTemplateVersion ResolveTemplateVersion(Ec2LaunchTemplate template, InstanceLaunchSpec spec) =>
        template.FindVersion(spec.LaunchTemplateVersion)
            ?? throw new ApiException("InvalidLaunchTemplateId.VersionNotFound", $"Could not find launch template version {QueryParameters.Shorten(spec.LaunchTemplateVersion ?? "$Default")} for launch template {template.LaunchTemplateId}.");

    /// <summary>
    /// <c>PrivateIpAddress</c>: EC2 gives the instance that address; it must be a usable address of the
    /// subnet, free, and only one instance can be launched with it (RunInstances API reference; verified against AWS, issue 19).
    /// </summary>
    public static void ValidateRequestedPrivateIp(Ec2RegionState ec2, Ec2Subnet subnet, string address, int count)
    {
        if (!System.Net.IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ApiException("InvalidParameterValue", $"Invalid value '{QueryParameters.Shorten(address)}' for PrivateIpAddress.");
        }

        var (network, prefix) = Ec2Cidr.Parse(subnet.CidrBlock);
        var value = Ec2Cidr.ToUInt32(parsed);
        var size = 1u << (32 - prefix);
        if (value < network || value >= network + size)
        {
            throw new ApiException("InvalidParameterValue", $"Address {address} does not fall within the subnet's address range");
        }

        // The first four addresses and the last one are reserved (VPC user guide, "Subnet CIDR blocks").
        if (value - network < 4 || value == network + size - 1)
        {
            throw new ApiException("InvalidParameterValue", $"Address {address} is in subnet's reserved address range");
        }

        if (count > 1)
        {
            throw new ApiException("InvalidParameterCombination", "Cannot specify a private IP address when launching more than one instance.");
        }

        if (ec2.Instances.Values.Any(i => i.State != Ec2InstanceState.Terminated && i.PrivateIpAddress == address))
        {
            throw new ApiException("InvalidIPAddress.InUse", $"Address {address} is in use.");
        }
    }

    public static Ec2Subnet ChooseSubnet(Ec2RegionState ec2, string? subnetId, string? availabilityZone)
    {
        if (subnetId is not null)
        {
            if (!Ec2Ids.IsWellFormed(subnetId, "subnet"))
            {
                throw new ApiException("InvalidSubnetID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(subnetId)}\" (expecting \"subnet-...\")");
            }

            var subnet = ec2.Subnets.GetValueOrDefault(subnetId)
                ?? throw new ApiException("InvalidSubnetID.NotFound", $"The subnet ID '{subnetId}' does not exist");
            if (availabilityZone is not null && subnet.AvailabilityZone != availabilityZone)
            {
                throw new ApiException("InvalidParameterCombination", $"The specified Availability Zone {QueryParameters.Shorten(availabilityZone)} does not match the subnet's Availability Zone {subnet.AvailabilityZone}.");
            }

            return subnet;
        }

        var defaults = ec2.Subnets.Values.Where(s => s.DefaultForAz).ToList();
        if (availabilityZone is not null)
        {
            return defaults.FirstOrDefault(s => s.AvailabilityZone == availabilityZone)
                ?? throw new ApiException("InvalidParameterValue", $"Invalid availability zone: [{QueryParameters.Shorten(availabilityZone)}]");
        }

        // Without a subnet EC2 picks a default subnet in some Availability Zone.
        return defaults[RandomNumberGenerator.GetInt32(defaults.Count)];
    }

    public static List<string> ChooseGroups(Ec2RegionState ec2, Ec2Subnet subnet, IReadOnlyList<string> ids, IReadOnlyList<string> names)
    {
        var result = new List<string>();
        foreach (var id in ids)
        {
            if (!Ec2Ids.IsWellFormed(id, "sg"))
            {
                throw new ApiException("InvalidGroupId.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"sg-...\")");
            }

            var group = ec2.SecurityGroups.GetValueOrDefault(id)
                ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{id}' does not exist in VPC '{subnet.VpcId}'");
            if (group.VpcId != subnet.VpcId)
            {
                throw new ApiException("InvalidParameter", $"Security group {id} and subnet {subnet.SubnetId} belong to different networks.");
            }

            result.Add(id);
        }

        foreach (var name in names)
        {
            var group = ec2.SecurityGroups.Values.FirstOrDefault(g => g.GroupName == name && g.VpcId == subnet.VpcId)
                ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{QueryParameters.Shorten(name)}' does not exist in VPC '{subnet.VpcId}'");
            result.Add(group.GroupId);
        }

        if (result.Count == 0)
        {
            // No group given: the VPC's default group (EC2 RunInstances, SecurityGroupIds).
            result.Add(ec2.SecurityGroups.Values.First(g => g.IsDefault && g.VpcId == subnet.VpcId).GroupId);
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The ARN and id EC2 reports for <c>IamInstanceProfile</c> (name or ARN). The sandbox has no IAM, so any
    /// well-formed name is accepted (IAM's pattern <c>[\w+=,.@-]+</c>, 1 to 128 characters); the id is derived
    /// from the ARN so every instance launched with one profile shows the same id, as on AWS.
    /// </summary>
    public static (string? Arn, string? Id) ResolveInstanceProfile(string accountId, string? name, string? arn)
    {
        if (name is null && arn is null)
        {
            return (null, null);
        }

        if (arn is not null)
        {
            var match = InstanceProfileArnRegex().Match(arn);
            if (!match.Success || (name is not null && match.Groups["name"].Value != name))
            {
                throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(arn)}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN");
            }
        }
        else if (!InstanceProfileNameRegex().IsMatch(name!))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(name!)}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name");
        }

        var resolved = arn ?? $"arn:aws:iam::{accountId}:instance-profile/{name}";
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resolved));
        var id = "AIPA" + string.Concat(hash.Take(17).Select(b => alphabet[b % alphabet.Length]));
        return (resolved, id);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\w+=,.@-]{1,128}$")]
    private static partial System.Text.RegularExpressions.Regex InstanceProfileNameRegex();

    [System.Text.RegularExpressions.GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:instance-profile/(?:[\w+=,.@-]+/)*(?<name>[\w+=,.@-]{1,128})$")]
    private static partial System.Text.RegularExpressions.Regex InstanceProfileArnRegex();

    public static void ValidateUserData(string? userData)
    {
        if (userData is null)
        {
            return;
        }

        var buffer = new byte[(userData.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(userData, buffer, out var length))
        {
            throw new ApiException("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
        }

        if (length > MaxUserDataBytes)
        {
            // EC2 user guide: "User data is limited to 16 KB, in raw form, before it is base64-encoded."
            throw new ApiException("InvalidParameterValue", $"User data is limited to {MaxUserDataBytes} bytes");
        }
    }

    public static string Fingerprint(InstanceLaunchSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec with { ClientToken = null })));
}
