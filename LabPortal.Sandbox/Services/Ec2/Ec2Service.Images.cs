using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private static readonly Dictionary<string, string> NoTags = [];

    private Task<ApiResult> DescribeImagesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("ImageId");
        var owners = p.GetList("Owner");
        var filters = p.GetFilters();
        p.GetBool("IncludeDeprecated");
        var catalogue = Ec2ImageCatalog.For(request.Region);
        foreach (var id in ids)
        {
            if (!Ec2Ids.IsWellFormed(id, "ami"))
            {
                throw new ApiException("InvalidAMIID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"ami-...\")");
            }
        }

        // AWS names every missing image in one message (verified against AWS, issue 19).
        var missing = ids.Where(id => !catalogue.Any(i => i.ImageId == id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 1)
        {
            throw new ApiException("InvalidAMIID.NotFound", $"The image id '[{missing[0]}]' does not exist");
        }

        if (missing.Count > 1)
        {
            throw new ApiException("InvalidAMIID.NotFound", $"The image ids '[{string.Join(", ", missing)}]' do not exist");
        }

        var images = catalogue
            .Where(i => ids.Count == 0 || ids.Contains(i.ImageId))

            // Owner: an account id, "amazon" (Amazon and verified publishers such as Canonical here) or "self" (the caller owns none).
            .Where(i => owners.Count == 0 || owners.Contains(i.OwnerId) || owners.Contains(i.OwnerAlias))
            // Public images carry no tags the caller can see, so a tag filter matches none of them.
            .Where(i => MatchesAll(filters, f => TagFilterValues(f, NoTags) ?? f switch
            {
                "name" => [i.Name],
                "image-id" => [i.ImageId],
                "architecture" => [i.Architecture],
                "owner-alias" => [i.OwnerAlias],
                "owner-id" => [i.OwnerId],
                "state" => ["available"],
                "is-public" => ["true"],
                "image-type" => ["machine"],
                "platform-details" => [i.PlatformDetails],
                "root-device-type" => ["ebs"],
                "root-device-name" => ["/dev/xvda"],
                "virtualization-type" => ["hvm"],
                "hypervisor" => ["xen"],
                "description" => [i.Description],
                "ena-support" => ["true"],
                _ => null,
            }))
            .ToList();
        var (page, next) = Paginate(images, p);
        return Task.FromResult(ApiResult.Xml(w =>
        {
            w.ItemSet("imagesSet", page, (x, i) => x
                .Element("imageId", i.ImageId)
                .Element("imageLocation", $"{i.OwnerAlias}/{i.Name}")
                .Element("imageState", "available")
                .Element("imageOwnerId", i.OwnerId)
                .Element("creationDate", i.CreationDate)
                .Element("isPublic", true)
                .Element("architecture", i.Architecture)
                .Element("imageType", "machine")
                .Element("sriovNetSupport", "simple")
                .Element("imageOwnerAlias", i.OwnerAlias)
                .Element("name", i.Name)
                .Element("description", i.Description)
                .Element("rootDeviceType", "ebs")
                .Element("rootDeviceName", "/dev/xvda")
                .ItemSet("blockDeviceMapping", new[] { i }, (b, _) => b
                    .Element("deviceName", "/dev/xvda")
                    .Struct("ebs", e => e
                        .Element("deleteOnTermination", true)
                        // An EBS-backed AMI's root mapping always names its snapshot; derived from the image id.
                        .Element("snapshotId", "snap-" + i.ImageId["ami-".Length..])
                        .Element("volumeSize", 8)
                        .Element("volumeType", "gp3")
                        .Element("encrypted", false)))
                .Element("virtualizationType", "hvm")
                .Element("hypervisor", "xen")
                .Element("enaSupport", true)
                .Element("platformDetails", i.PlatformDetails)
                .Element("usageOperation", "RunInstances")
                .Element("bootMode", "uefi-preferred")
                .Element("imdsSupport", "v2.0"));
            w.Element("nextToken", next);
        }));
    }
}
