using Amazon.EC2.Model;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// The instance profile (<c>Cloud:InstanceProfileName</c>) that lets Systems Manager reach the labs'
/// instances: on AWS an instance without one is not a managed instance, so SendCommand answers
/// <c>InvalidInstanceId</c> and Lab 2's drill cannot stop its web server. The launch template and
/// Lab 1's instances attach it; the drill checks for it before sending anything.
/// </summary>
public static class InstanceProfiles
{
    /// <summary>The launch template's <c>IamInstanceProfile</c>, or null when none is configured.</summary>
    public static LaunchTemplateIamInstanceProfileSpecificationRequest? ForLaunchTemplate(LabActionContext context) =>
        context.InstanceProfileName is { } name ? new LaunchTemplateIamInstanceProfileSpecificationRequest { Name = name } : null;

    /// <summary>RunInstances' <c>IamInstanceProfile</c>, or null when none is configured.</summary>
    public static IamInstanceProfileSpecification? ForInstance(LabActionContext context) =>
        context.InstanceProfileName is { } name ? new IamInstanceProfileSpecification { Name = name } : null;

    /// <summary>
    /// The drill's pre-check: the instance must carry an instance profile, else the step fails before any
    /// command is sent, saying what is missing and who fixes it.
    /// </summary>
    public static async Task RequireForDrillAsync(LabActionContext context, string instanceId, CancellationToken cancellationToken)
    {
        var response = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        var instance = (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance?.IamInstanceProfile?.Arn is { Length: > 0 })
        {
            return;
        }

        throw context.InstanceProfileName is null
            ? new LabStepException("NoInstanceProfile",
                $"The drill cannot run: {instanceId} has no instance profile, and this portal is not configured with one (Cloud:InstanceProfileName). Without an instance profile allowing Systems Manager (AmazonSSMManagedInstanceCore), AWS refuses to run commands on an instance. Ask the administrator to create the profile (README, \"Using real AWS\") and set Cloud:InstanceProfileName, then create the launch template again.",
                $"훈련을 실행할 수 없습니다. {instanceId}에 인스턴스 프로파일이 없고, 이 포털에는 인스턴스 프로파일(Cloud:InstanceProfileName)이 설정되어 있지 않습니다. Systems Manager를 허용하는 인스턴스 프로파일(AmazonSSMManagedInstanceCore)이 없으면 AWS는 인스턴스에서 명령을 실행하지 않습니다. 관리자에게 프로파일을 만들고(README의 \"Using real AWS\") Cloud:InstanceProfileName을 설정해 달라고 요청한 뒤 시작 템플릿을 다시 만드세요.")
            : new LabStepException("NoInstanceProfile",
                $"The drill cannot run: {instanceId} has no instance profile, so Systems Manager cannot run commands on it. Its launch template was made without the instance profile {context.InstanceProfileName}: create the launch template again, then replace the group's instances.",
                $"훈련을 실행할 수 없습니다. {instanceId}에 인스턴스 프로파일이 없어 Systems Manager가 명령을 실행할 수 없습니다. 이 인스턴스의 시작 템플릿이 인스턴스 프로파일 {context.InstanceProfileName} 없이 만들어졌습니다. 시작 템플릿을 다시 만든 뒤 그룹의 인스턴스를 교체하세요.");
    }
}
