using System.Text.RegularExpressions;
using System.Xml;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private async Task<ApiResult> CreateLaunchTemplateAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = p.GetRequired("LaunchTemplateName");

        // EC2 API reference, CreateLaunchTemplate: 3-128 characters of [a-zA-Z0-9\(\)\.\-/_].
        if (name.Length is < 3 or > 128 || !TemplateName().IsMatch(name))
        {
            throw new ApiException("InvalidLaunchTemplateName.MalformedException", "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'");
        }

        var description = p.GetString("VersionDescription", 255);
        if (!p.HasAny("LaunchTemplateData"))
        {
            throw p.Missing("LaunchTemplateData");
        }

        var data = ReadTemplateData(p.Struct("LaunchTemplateData"));
        var tags = Ec2Tags.ReadSpecifications(p, "TagSpecification", "launch-template").GetValueOrDefault("launch-template")
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        p.Get("ClientToken");

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        if (ec2.LaunchTemplates.Values.Any(t => t.LaunchTemplateName == name))
        {
            throw new ApiException("InvalidLaunchTemplateName.AlreadyExistsException", $"Launch template name already in use.");
        }

        var now = _clock.UtcNow;
        var template = new Ec2LaunchTemplate
        {
            LaunchTemplateId = Ec2Ids.New("lt"),
            LaunchTemplateName = name,
            CreateTime = now,
            CreatedBy = $"arn:aws:iam::{request.AccountId}:root",
            Tags = tags,
            Versions = [new Ec2LaunchTemplateVersion { VersionNumber = 1, Description = description, CreateTime = now, Data = data }],
        };
        scope.Write<Ec2RegionState>(request.Region).LaunchTemplates[template.LaunchTemplateId] = template;
        var warnings = TemplateWarnings(request.Region, data);
        return ApiResult.Xml(w =>
        {
            w.Struct("launchTemplate", x => WriteTemplate(x, template));
            WriteWarnings(w, warnings);
        });
    }

    /// <summary>Reads <c>LaunchTemplateData</c>; fields not sent keep <paramref name="source"/>'s values (CreateLaunchTemplateVersion's SourceVersion).</summary>
    private static Ec2LaunchTemplateData ReadTemplateData(QueryParameters d, Ec2LaunchTemplateData? source = null)
    {
        // An image id is not checked here: AWS creates the template (with a warning) and the launch fails (issue 19).
        var imageId = d.Get("ImageId");
        var instanceType = d.Get("InstanceType");
        if (instanceType is not null && !Ec2InstanceTypes.IsKnown(instanceType))
        {
            throw new ApiException("InvalidParameterValue", $"Invalid value '{QueryParameters.Shorten(instanceType)}' for InstanceType.");
        }

        var userData = d.Get("UserData");
        if (userData is not null && !Convert.TryFromBase64String(userData, new byte[(userData.Length * 3 / 4) + 3], out _))
        {
            throw new ApiException("InvalidUserData.Malformed", "User data must be base64 encoded.");
        }

        var interfaces = d.GetStructs("NetworkInterface");
        var network = interfaces.Count > 0 ? interfaces[0] : null;
        var groups = d.GetList("SecurityGroupId").ToList();
        if (network is not null)
        {
            groups.AddRange(network.GetList("SecurityGroupId"));
        }

        foreach (var group in groups)
        {
            ValidateGroupId(group);
        }

        var names = d.GetList("SecurityGroup").ToList();
        var tagSpecifications = Ec2Tags.ReadSpecifications(d, "TagSpecification", "instance", "volume", "network-interface", "spot-instances-request", "elastic-gpu");
        return new Ec2LaunchTemplateData
        {
            ImageId = imageId ?? source?.ImageId,
            InstanceType = instanceType ?? source?.InstanceType,
            KeyName = d.Get("KeyName") ?? source?.KeyName,
            IamInstanceProfileName = d.Struct("IamInstanceProfile").Get("Name") ?? (d.Struct("IamInstanceProfile").Get("Arn") is null ? source?.IamInstanceProfileName : null),
            IamInstanceProfileArn = d.Struct("IamInstanceProfile").Get("Arn") ?? (d.Struct("IamInstanceProfile").Get("Name") is null ? source?.IamInstanceProfileArn : null),
            UserData = userData ?? source?.UserData,
            SecurityGroupIds = groups.Count > 0 || names.Count > 0 ? groups : [.. source?.SecurityGroupIds ?? []],
            SecurityGroupNames = groups.Count > 0 || names.Count > 0 ? names : [.. source?.SecurityGroupNames ?? []],
            TagSpecifications = tagSpecifications.Count > 0 ? tagSpecifications : new(source?.TagSpecifications ?? [], StringComparer.Ordinal),
            SubnetId = network is not null ? network.Get("SubnetId") : source?.SubnetId,
            AssociatePublicIpAddress = network is not null ? network.GetBool("AssociatePublicIpAddress") : source?.AssociatePublicIpAddress,
            AvailabilityZone = d.Struct("Placement").Get("AvailabilityZone") ?? source?.AvailabilityZone,
        };
    }

    /// <summary>
    /// What CreateLaunchTemplate(Version) reports in <c>Warning</c> instead of refusing: an image id that is
    /// malformed or unknown (the launch fails later with the same code).
    /// </summary>
    private static List<(string Code, string Message)> TemplateWarnings(string region, Ec2LaunchTemplateData data)
    {
        var warnings = new List<(string Code, string Message)>();
        if (data.ImageId is { } imageId && !imageId.StartsWith(Ec2ImageCatalog.SsmPrefix, StringComparison.Ordinal))
        {
            if (!Ec2Ids.IsWellFormed(imageId, "ami"))
            {
                warnings.Add(("InvalidAMIID.Malformed", $"The image ID '{QueryParameters.Shorten(imageId)}' is not valid. The expected format is ami-xxxxxxxx or ami-xxxxxxxxxxxxxxxxx."));
            }
            else if (Ec2ImageCatalog.Find(region, imageId) is null)
            {
                warnings.Add(("InvalidAMIID.NotFound", $"The image id '[{imageId}]' does not exist"));
            }
        }

        return warnings;
    }

    private static void WriteWarnings(XmlWriter w, List<(string Code, string Message)> warnings)
    {
        if (warnings.Count > 0)
        {
            w.Struct("warning", x => x.ItemSet("errorSet", warnings, (e, warning) => e.Element("code", warning.Code).Element("message", warning.Message)));
        }
    }

    private static void WriteTemplate(XmlWriter w, Ec2LaunchTemplate t)
    {
        w.Element("launchTemplateId", t.LaunchTemplateId)
            .Element("launchTemplateName", t.LaunchTemplateName)
            .Element("createTime", t.CreateTime)
            .Element("createdBy", t.CreatedBy)
            .Element("defaultVersionNumber", t.DefaultVersionNumber)
            .Element("latestVersionNumber", t.LatestVersionNumber);
        if (t.Tags.Count > 0)
        {
            w.TagSet(t.Tags);
        }
    }

    private async Task<ApiResult> DescribeLaunchTemplatesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("LaunchTemplateId");
        var names = p.GetList("LaunchTemplateName");
        var filters = p.GetFilters();
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        if (ids.Any(id => !ec2.LaunchTemplates.ContainsKey(id)))
        {
            throw new ApiException("InvalidLaunchTemplateId.NotFound", "At least one of the launch templates specified in the request does not exist.");
        }

        if (names.Any(n => !ec2.LaunchTemplates.Values.Any(t => t.LaunchTemplateName == n)))
        {
            throw new ApiException("InvalidLaunchTemplateName.NotFoundException", "At least one of the launch templates specified in the request does not exist.");
        }

        var templates = ec2.LaunchTemplates.Values
            .Where(t => ids.Count == 0 || ids.Contains(t.LaunchTemplateId))
            .Where(t => names.Count == 0 || names.Contains(t.LaunchTemplateName))
            .Where(t => MatchesAll(filters, f => TagFilterValues(f, t.Tags) ?? f switch
            {
                "launch-template-name" => [t.LaunchTemplateName],
                "create-time" => [XmlWriterExtensions.FormatTimestamp(t.CreateTime)],
                _ => null,
            }))
            .OrderBy(t => t.CreateTime)
            .ToList();
        var (page, next) = Paginate(templates, p, 1, 200);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("launchTemplates", page, WriteTemplate);
            w.Element("nextToken", next);
        });
    }

    private async Task<ApiResult> ModifyLaunchTemplateAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var defaultVersion = p.Get("SetDefaultVersion");
        if (!string.IsNullOrEmpty(p.Get("LaunchTemplateId")) && !string.IsNullOrEmpty(p.Get("LaunchTemplateName")))
        {
            // Verified against AWS (issue 19).
            throw new ApiException("InvalidParameterCombination", "Either provide launch template ID or launch template name to modify the template.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var template = FindTemplate(scope, request);
        if (defaultVersion is not null)
        {
            var version = template.FindVersion(defaultVersion)
                ?? throw new ApiException("InvalidLaunchTemplateId.VersionNotFound", $"Could not find launch template version {QueryParameters.Shorten(defaultVersion)} for launch template {template.LaunchTemplateId}.");
            scope.MarkChanged<Ec2RegionState>(request.Region);
            template.DefaultVersionNumber = version.VersionNumber;
        }

        return ApiResult.Xml(w => w.Struct("launchTemplate", x => WriteTemplate(x, template)));
    }

    private async Task<ApiResult> DeleteLaunchTemplateAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var template = FindTemplate(scope, request);
        scope.Write<Ec2RegionState>(request.Region).LaunchTemplates.Remove(template.LaunchTemplateId);
        return ApiResult.Xml(w => w.Struct("launchTemplate", x => WriteTemplate(x, template)));
    }

    private static Ec2LaunchTemplate FindTemplate(AccountScope scope, ApiRequest request)
    {
        var p = request.Parameters;
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var id = p.Get("LaunchTemplateId");
        var name = p.Get("LaunchTemplateName");
        if (!string.IsNullOrEmpty(id))
        {
            return ec2.LaunchTemplates.GetValueOrDefault(id)
                ?? throw new ApiException("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {QueryParameters.Shorten(id)}, does not exist.");
        }

        if (!string.IsNullOrEmpty(name))
        {
            return ec2.LaunchTemplates.Values.FirstOrDefault(t => t.LaunchTemplateName == name)
                ?? throw new ApiException("InvalidLaunchTemplateName.NotFoundException", $"The specified launch template, with template name {QueryParameters.Shorten(name)}, does not exist.");
        }

        throw new ApiException("MissingParameter", "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
    }

    [GeneratedRegex(@"\A[a-zA-Z0-9().\-/_]+\z")]
    private static partial Regex TemplateName();
}
