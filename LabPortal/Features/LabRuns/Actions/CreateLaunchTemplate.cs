using System.Text;
using System.Text.RegularExpressions;
using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "launch-template": the web servers' security group (<c>asg-web-sg</c>, HTTP from
/// anywhere) and a launch template whose user data installs nginx and writes a page naming the
/// instance and its Availability Zone, read from the instance metadata service (seed 004).
/// </summary>
public sealed partial class CreateLaunchTemplate : ILabAction
{
    /// <summary>The name the post's commands give the web servers' security group.</summary>
    public const string WebSecurityGroupName = "asg-web-sg";

    public string Name => nameof(CreateLaunchTemplate);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var name = context.Value("launchTemplateName");
        if (!TemplateNameRegex().IsMatch(name))
        {
            // CreateLaunchTemplate.LaunchTemplateName: 3 to 128 characters, [a-zA-Z0-9().\-/_]+ (EC2 API reference).
            throw new LabStepException("ValidationError",
                "A launch template name has 3 to 128 characters: letters, digits and ( ) . - / _.",
                "시작 템플릿 이름은 3~128자이며 영문자, 숫자와 ( ) . - / _ 만 쓸 수 있습니다.");
        }

        var vpcId = await CloudSteps.DefaultVpcAsync(context, cancellationToken);
        var groupId = await CloudSteps.EnsureSecurityGroupAsync(context, WebSecurityGroupName, "Auto Scaling web servers: HTTP (LabPortal)", vpcId, cancellationToken);
        await CloudSteps.AllowIngressAsync(context, groupId, 80, "0.0.0.0/0", cancellationToken);
        await context.SetOutputsAsync(o => o.SecurityGroupId = groupId, cancellationToken);

        var entry = await context.IntendAsync(ResourceKind.LaunchTemplate, name, cancellationToken);
        var templateId = entry.ResourceId ?? await FindAsync(context, entry, name, cancellationToken);
        if (templateId is null)
        {
            var imageId = await LaunchWebInstances.AmazonLinuxImageAsync(context, cancellationToken);
            var created = await context.Cloud.Ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
            {
                LaunchTemplateName = name,
                ClientToken = entry.ClientToken,
                VersionDescription = "LabPortal Lab 2 web server",
                LaunchTemplateData = new RequestLaunchTemplateData
                {
                    ImageId = imageId,
                    InstanceType = context.Value("instanceType"),
                    SecurityGroupIds = [groupId],
                    UserData = UserData(),
                    IamInstanceProfile = InstanceProfiles.ForLaunchTemplate(context),
                },
                TagSpecifications = [CloudSteps.TagSpecification("launch-template", context.Tags(name))],
            }, cancellationToken);
            context.Trace(created.ResponseMetadata.RequestId);
            templateId = created.LaunchTemplate?.LaunchTemplateId
                ?? throw new LabStepException("NoLaunchTemplate", "CreateLaunchTemplate returned no launch template.", "CreateLaunchTemplate이 시작 템플릿을 돌려주지 않았습니다.");
        }

        if (entry.ResourceId is null)
        {
            await context.CompleteAsync(entry, templateId, cancellationToken);
        }

        await context.SetOutputsAsync(o => o.LaunchTemplateName = name, cancellationToken);
        await context.SetOutputsAsync(o => o.LaunchTemplateId = templateId, cancellationToken);
    }

    /// <summary>
    /// The post's user data: nginx, and a page with the instance id and zone read from the metadata
    /// service with an IMDSv2 token, so every instance of the group tells who answered.
    /// </summary>
    public static string UserData()
    {
        var script = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("dnf install -y nginx\n")
            .Append("TOKEN=$(curl -s -X PUT \"http://169.254.169.254/latest/api/token\" -H \"X-aws-ec2-metadata-token-ttl-seconds: 21600\")\n")
            .Append("ID=$(curl -s -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/instance-id)\n")
            .Append("AZ=$(curl -s -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/placement/availability-zone)\n")
            .Append("cat > /usr/share/nginx/html/index.html <<EOF\n")
            .Append("<h1>Hello from $ID</h1>\n")
            .Append("<p>Availability Zone: $AZ</p>\n")
            .Append("EOF\n")
            .Append("systemctl enable --now nginx\n")
            .ToString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
    }

    /// <summary>A template this run created before a crash, found by its name (names are unique per region).</summary>
    private static async Task<string?> FindAsync(LabActionContext context, Infrastructure.Data.LedgerEntry entry, string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await context.Cloud.Ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest { LaunchTemplateNames = [name] }, cancellationToken);
            context.Trace(found.ResponseMetadata.RequestId);
            var template = CloudSteps.FirstOf(found.LaunchTemplates);
            if (template is null)
            {
                return null;
            }

            if (!context.IsRunTagged((template.Tags ?? []).Select(t => ((string?)t.Key, (string?)t.Value))))
            {
                await context.DropIntentAsync(entry, cancellationToken);
                throw CloudSteps.NotOwned("launch template", "시작 템플릿", name);
            }

            return template.LaunchTemplateId;
        }
        catch (AmazonServiceException e) when (e.ErrorCode is "InvalidLaunchTemplateName.NotFoundException" or "InvalidLaunchTemplateId.NotFound")
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9().\-/_]{3,128}$")]
    private static partial Regex TemplateNameRegex();
}
