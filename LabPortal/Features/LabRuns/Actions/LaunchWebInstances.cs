using System.Text;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 1, step "instances": two Amazon Linux 2023 instances whose user data installs nginx and
/// writes the blog post's two pages (seed 000). Each instance is in the ledger before RunInstances
/// and carries a client token, so a retry after a crash never launches a third one.
/// </summary>
public sealed class LaunchWebInstances : ILabAction
{
    /// <summary>The public SSM parameter AWS keeps pointing at the newest Amazon Linux 2023 AMI.</summary>
    public const string AmiParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    public string Name => nameof(LaunchWebInstances);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var groupId = context.RequireOutput(o => o.SecurityGroupId, "Security group", "보안 그룹");
        var vpcId = context.Outputs.VpcId ?? await CloudSteps.DefaultVpcAsync(context, cancellationToken);
        var az1 = context.Value("instance1Az");
        var az2 = context.Value("instance2Az");
        if (az1 == az2)
        {
            throw new LabStepException("SameAvailabilityZone",
                "Put the two servers in two different availability zones: the load balancer needs subnets in two zones.",
                "두 서버를 서로 다른 가용 영역에 두세요. 로드 밸런서는 두 가용 영역의 서브넷이 필요합니다.");
        }

        var imageId = await AmazonLinuxImageAsync(context, cancellationToken);
        var ids = new List<string>();
        foreach (var (index, az) in new[] { (1, az1), (2, az2) })
        {
            var subnetId = await CloudSteps.DefaultSubnetAsync(context, vpcId, az, cancellationToken);
            await context.SetOutputsAsync(o => o.SetSubnetId(index, subnetId), cancellationToken);
            var name = context.Value($"instance{index}Name");
            var id = await EnsureInstanceAsync(context, name, imageId, subnetId, groupId, UserData(context.Value($"page{index}Html")), cancellationToken);
            await context.SetOutputsAsync(o => o.SetInstanceId(index, id), cancellationToken);
            ids.Add(id);
        }

        IReadOnlyList<Instance> instances = [];
        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            var response = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ids }, cancellationToken);
            instances = [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])];
            return instances.Count == ids.Count && instances.All(i => i.State?.Name == "running");
        }, "The instances did not reach the running state in time. Check them with \"Check my progress\", then retry.",
           "인스턴스가 제시간에 실행 상태가 되지 않았습니다. \"진행 상황 확인\"으로 살펴본 뒤 다시 시도하세요.", cancellationToken);

        for (var i = 0; i < ids.Count; i++)
        {
            var dns = instances.First(x => x.InstanceId == ids[i]).PublicDnsName ?? "";
            await context.SetOutputsAsync(o => o.SetInstancePublicDns(i + 1, dns), cancellationToken);
        }
    }

    /// <summary>The user data of the blog post: install nginx, start it now and at every boot, write the page.</summary>
    public static string UserData(string pageHtml)
    {
        // A delimiter no page contains, so a line reading EOF in the page cannot end the heredoc early.
        const string end = "LABPORTAL_PAGE_END";
        var script = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("dnf install -y nginx\n")
            .Append("systemctl enable --now nginx\n")
            .Append($"cat > /usr/share/nginx/html/index.html <<'{end}'\n")
            .Append(pageHtml.TrimEnd('\n')).Append('\n')
            .Append(end).Append('\n')
            .ToString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
    }

    public static async Task<string> AmazonLinuxImageAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var parameter = await context.Cloud.Ssm.GetParameterAsync(new GetParameterRequest { Name = AmiParameter }, cancellationToken);
            context.Trace(parameter.ResponseMetadata.RequestId);
            if (parameter.Parameter?.Value is { Length: > 0 } value)
            {
                return value;
            }
        }
        catch (AmazonServiceException e) when ((int)e.StatusCode is >= 400 and < 500)
        {
            // Some emulators lack SSM's public parameters: fall back to the newest Amazon-owned AL2023 image.
        }

        var images = await context.Cloud.Ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            Owners = ["amazon"],
            Filters = [CloudSteps.Filter("name", "al2023-ami-*-x86_64"), CloudSteps.Filter("state", "available")],
        }, cancellationToken);
        context.Trace(images.ResponseMetadata.RequestId);
        return (images.Images ?? []).OrderByDescending(i => i.CreationDate, StringComparer.Ordinal).FirstOrDefault()?.ImageId
            ?? throw new LabStepException("NoAmazonLinuxImage",
                "No Amazon Linux 2023 image was found in this region.",
                "이 리전에서 Amazon Linux 2023 이미지를 찾지 못했습니다.");
    }

    private static async Task<string> EnsureInstanceAsync(LabActionContext context, string name, string imageId, string subnetId, string groupId, string userData, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync(ResourceKind.Instance, name, cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
        }

        var response = await context.Cloud.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = imageId,
            InstanceType = context.Value("instanceType"),
            MinCount = 1,
            MaxCount = 1,
            SubnetId = subnetId,
            SecurityGroupIds = [groupId],
            UserData = userData,
            IamInstanceProfile = InstanceProfiles.ForInstance(context),
            ClientToken = entry.ClientToken,
            TagSpecifications = [CloudSteps.TagSpecification("instance", context.Tags(name))],
        }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        var id = CloudSteps.FirstOf(response.Reservation?.Instances)?.InstanceId ?? throw new LabStepException("NoInstance", "RunInstances returned no instance.", "RunInstances가 인스턴스를 돌려주지 않았습니다.");
        await context.CompleteAsync(entry, id, cancellationToken);
        return id;
    }
}
