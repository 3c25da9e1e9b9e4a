using System.Globalization;
using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Launch template versions: CreateLaunchTemplateVersion and DescribeLaunchTemplateVersions (by template, or every template's $Latest/$Default).
/// </summary>
public sealed partial class Ec2Service
{
    private async Task<ApiResult> DescribeLaunchTemplateVersionsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var versions = p.GetList("LaunchTemplateVersion");
        var min = p.Get("MinVersion");
        var max = p.Get("MaxVersion");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        if (string.IsNullOrEmpty(p.Get("LaunchTemplateId")) && string.IsNullOrEmpty(p.Get("LaunchTemplateName")))
        {
            return DescribeVersionsOfEveryTemplate(scope.Read<Ec2RegionState>(request.Region), versions, p);
        }

        var template = FindTemplate(scope, request);
        var selected = new List<Ec2LaunchTemplateVersion>();
        if (versions.Count > 0)
        {
            foreach (var version in versions)
            {
                selected.Add(template.FindVersion(version)
                    ?? throw new ApiException("InvalidLaunchTemplateId.VersionNotFound", $"Could not find launch template version {QueryParameters.Shorten(version)} for launch template {template.LaunchTemplateId}."));
            }
        }
        else
        {
            var low = ParseVersion(min, "MinVersion") ?? long.MinValue;
            var high = ParseVersion(max, "MaxVersion") ?? long.MaxValue;
            selected.AddRange(template.Versions.Where(v => v.VersionNumber >= low && v.VersionNumber <= high));
        }

        var (page, next) = Paginate(selected, p, 1, 200);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("launchTemplateVersionSet", page, (x, v) => WriteVersion(x, template, v));
            w.Element("nextToken", next);
        });
    }

    /// <summary>
    /// Without a template id or name, AWS answers <c>$Latest</c> and <c>$Default</c> for every template
    /// (DescribeLaunchTemplateVersions API reference; verified against AWS, issue 19); other versions need a template.
    /// </summary>
    private static ApiResult DescribeVersionsOfEveryTemplate(Ec2RegionState ec2, IReadOnlyList<string> versions, QueryParameters p)
    {
        if (versions.Count == 0 || versions.Any(v => v is not ("$Latest" or "$Default")))
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
        }

        var selected = new List<(Ec2LaunchTemplate Template, Ec2LaunchTemplateVersion Version)>();
        foreach (var template in ec2.LaunchTemplates.Values.OrderBy(t => t.CreateTime))
        {
            foreach (var version in versions.Select(v => template.FindVersion(v)!).DistinctBy(v => v.VersionNumber))
            {
                selected.Add((template, version));
            }
        }

        var (page, next) = Paginate(selected, p, 1, 200);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("launchTemplateVersionSet", page, (x, v) => WriteVersion(x, v.Template, v.Version));
            w.Element("nextToken", next);
        });
    }

    private static long? ParseVersion(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(value)}) for parameter {name} is invalid.");
    }

    private static void WriteVersion(XmlWriter w, Ec2LaunchTemplate template, Ec2LaunchTemplateVersion version)
    {
        var d = version.Data;
        w.Element("launchTemplateId", template.LaunchTemplateId)
            .Element("launchTemplateName", template.LaunchTemplateName)
            .Element("versionNumber", version.VersionNumber)
            .Element("versionDescription", version.Description)
            .Element("createTime", version.CreateTime)
            .Element("createdBy", template.CreatedBy)
            .Element("defaultVersion", version.VersionNumber == template.DefaultVersionNumber)
            .Struct("launchTemplateData", x =>
            {
                x.Element("imageId", d.ImageId)
                    .Element("instanceType", d.InstanceType)
                    .Element("keyName", d.KeyName)
                    .Element("userData", d.UserData);
                if (d.IamInstanceProfileName is not null || d.IamInstanceProfileArn is not null)
                {
                    x.Struct("iamInstanceProfile", p => p.Element("arn", d.IamInstanceProfileArn).Element("name", d.IamInstanceProfileName));
                }

                if (d.SubnetId is not null || d.AssociatePublicIpAddress is not null)
                {
                    x.ItemSet("networkInterfaceSet", new[] { d }, (n, _) => n
                        .Element("associatePublicIpAddress", d.AssociatePublicIpAddress)
                        .Element("deviceIndex", 0)
                        .Element("subnetId", d.SubnetId));
                }
                else if (d.SecurityGroupIds.Count > 0)
                {
                    x.ItemSet("securityGroupIdSet", d.SecurityGroupIds, (g, id) => g.WriteString(id));
                }

                if (d.SecurityGroupNames.Count > 0)
                {
                    x.ItemSet("securityGroupSet", d.SecurityGroupNames, (g, n) => g.WriteString(n));
                }

                if (d.TagSpecifications.Count > 0)
                {
                    x.ItemSet("tagSpecificationSet", d.TagSpecifications, (s, spec) => s
                        .Element("resourceType", spec.Key)
                        .TagSet(spec.Value));
                }

                if (d.AvailabilityZone is not null)
                {
                    x.Struct("placement", s => s.Element("availabilityZone", d.AvailabilityZone));
                }
            });
    }

    private async Task<ApiResult> CreateLaunchTemplateVersionAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var description = p.GetString("VersionDescription", 255);
        var sourceVersion = p.Get("SourceVersion");
        if (!p.HasAny("LaunchTemplateData"))
        {
            throw p.Missing("LaunchTemplateData");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var template = FindTemplate(scope, request);
        var source = sourceVersion is null
            ? null
            : template.FindVersion(sourceVersion)
                ?? throw new ApiException("InvalidLaunchTemplateId.VersionNotFound", $"Could not find launch template version {QueryParameters.Shorten(sourceVersion)} for launch template {template.LaunchTemplateId}.");
        var data = ReadTemplateData(p.Struct("LaunchTemplateData"), source?.Data);
        scope.MarkChanged<Ec2RegionState>(request.Region);
        var version = new Ec2LaunchTemplateVersion
        {
            VersionNumber = template.LatestVersionNumber + 1,
            Description = description,
            CreateTime = _clock.UtcNow,
            Data = data,
        };
        template.Versions.Add(version);
        template.LatestVersionNumber = version.VersionNumber;
        var warnings = TemplateWarnings(request.Region, data);
        return ApiResult.Xml(w =>
        {
            w.Struct("launchTemplateVersion", x => WriteVersion(x, template, version));
            WriteWarnings(w, warnings);
        });
    }
}
