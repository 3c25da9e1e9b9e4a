using System.Globalization;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>
/// Lab 2, step "drill": stops nginx on one of the group's InService instances through SSM Run
/// Command (<c>AWS-RunShellScript</c>, <c>systemctl stop nginx</c>), waits for the command to
/// succeed, then until the load balancer stops trusting the target: unhealthy, or already taken
/// out by the group. What follows (termination, replacement) is the drill timeline's job to show,
/// because with EC2 health checks it never comes.
/// </summary>
public sealed class StopWebServer : ILabAction
{
    public const string Document = "AWS-RunShellScript";
    public const string ShellCommand = "systemctl stop nginx";

    /// <summary>How often the step reads the target's health while it waits (DescribeTargetHealth's bucket refills 10 per second).</summary>
    private static readonly TimeSpan HealthPoll = TimeSpan.FromMilliseconds(200);

    public string Name => nameof(StopWebServer);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (!context.HasDataPlane)
        {
            throw new LabStepException("DataPlaneRequired",
                "This drill needs real web servers and health checks: run it on the portal's sandbox or on real AWS. This cloud is an API emulator.",
                "이 훈련에는 실제 웹 서버와 상태 검사가 필요합니다. 포털의 샌드박스나 실제 AWS에서 실행하세요. 지금 클라우드는 API만 흉내 내는 에뮬레이터입니다.");
        }

        var targetGroupArn = context.RequireOutput(o => o.TargetGroupArn, "Create the target group with the group's instances", "그룹의 인스턴스로 대상 그룹 만들기");
        var instanceId = context.Value("instanceId");
        var stepRunId = context.StepRun.Id.ToString(CultureInfo.InvariantCulture);
        string commandId;
        if (context.Outputs.DrillStepRunId == stepRunId && context.Outputs.DrillCommandId is { } sent)
        {
            // A retry of this same attempt after a crash: the command was already sent once.
            commandId = sent;
        }
        else
        {
            var group = await AutoScalingGroups.RequireAsync(context, cancellationToken);
            if (!AutoScalingGroups.InServiceInstances(group).Any(i => i.InstanceId == instanceId))
            {
                throw new LabStepException("NotInGroup",
                    $"{instanceId} is not an InService instance of the group any more. Reload the page and choose one from the list.",
                    $"{instanceId}은(는) 이제 그룹의 InService 인스턴스가 아닙니다. 페이지를 새로 고친 뒤 목록에서 고르세요.");
            }

            await InstanceProfiles.RequireForDrillAsync(context, instanceId, cancellationToken);
            var command = await SendAsync(context, instanceId, cancellationToken);
            commandId = command.CommandId ?? throw new LabStepException("NoCommand", "SendCommand returned no command id.", "SendCommand가 명령 ID를 돌려주지 않았습니다.");
            var requestedAt = command.RequestedDateTime ?? context.Time.GetUtcNow();
            await context.SetOutputsAsync(o => o.DrillStepRunId = stepRunId, cancellationToken);
            await context.SetOutputsAsync(o => o.DrillStartedAt = requestedAt.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
            await context.SetOutputsAsync(o => o.DrillInstanceId = instanceId, cancellationToken);
            await context.SetOutputsAsync(o => o.DrillCommandId = commandId, cancellationToken);
            await context.SetOutputsAsync(o => o.DrillUnhealthyAt = "", cancellationToken);
        }

        await WaitForCommandAsync(context, commandId, instanceId, cancellationToken);

        // The target's health has no timestamp in the API: the step records when it first saw it unhealthy.
        while (true)
        {
            var target = (await AutoScalingGroups.TargetHealthAsync(context, targetGroupArn, cancellationToken)).FirstOrDefault(t => t.Target?.Id == instanceId);
            if (target?.TargetHealth?.State == "unhealthy")
            {
                await context.SetOutputsAsync(o => o.DrillUnhealthyAt = context.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), cancellationToken);
                await context.SetOutputsAsync(o => o.DrillUnhealthyReason = target.TargetHealth.Reason ?? "", cancellationToken);
                return;
            }

            if (target is null || !AutoScalingGroups.IsRegistered(target))
            {
                // The group already deregistered it (ELB health checks and a short check period):
                // the timeline shows the group's own record of the health check failure.
                return;
            }

            await CloudSteps.PollAgainAsync(context, HealthPoll,
                "The web server is stopped, but the load balancer has not reported the target unhealthy yet. Look at the target group's health checks.",
                "웹 서버는 멈췄지만 로드 밸런서가 아직 대상을 unhealthy로 보고하지 않았습니다. 대상 그룹의 상태 검사 설정을 살펴보세요.",
                cancellationToken);
        }
    }

    private static async Task<Command> SendAsync(LabActionContext context, string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await context.Cloud.Ssm.SendCommandAsync(new SendCommandRequest
            {
                DocumentName = Document,
                InstanceIds = [instanceId],
                Parameters = new Dictionary<string, List<string>> { ["commands"] = [ShellCommand] },
                Comment = "LabPortal drill: stop the web server",
            }, cancellationToken);
            context.Trace(response.ResponseMetadata.RequestId);
            return response.Command ?? throw new LabStepException("NoCommand", "SendCommand returned no command.", "SendCommand가 명령을 돌려주지 않았습니다.");
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "InvalidInstanceId")
        {
            // On AWS, Run Command reaches only instances whose SSM Agent is registered, which needs an
            // instance profile with AmazonSSMManagedInstanceCore.
            throw new LabStepException("InvalidInstanceId",
                $"Systems Manager cannot run commands on {instanceId}: it must be running and, on AWS, have an instance profile allowing SSM (AmazonSSMManagedInstanceCore).",
                $"Systems Manager가 {instanceId}에서 명령을 실행할 수 없습니다. 인스턴스가 실행 중이어야 하고, AWS에서는 SSM을 허용하는 인스턴스 프로파일(AmazonSSMManagedInstanceCore)이 있어야 합니다.");
        }
    }

    private static async Task WaitForCommandAsync(LabActionContext context, string commandId, string instanceId, CancellationToken cancellationToken)
    {
        GetCommandInvocationResponse? invocation = null;
        await CloudSteps.WaitUntilAsync(context, async () =>
        {
            try
            {
                invocation = await context.Cloud.Ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId }, cancellationToken);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "InvocationDoesNotExist")
            {
                // Right after SendCommand the invocation may not be visible yet.
                return false;
            }

            return invocation.Status?.Value is not ("Pending" or "InProgress" or "Delayed");
        }, "The command to stop the web server did not finish in time.", "웹 서버를 멈추는 명령이 제시간에 끝나지 않았습니다.", cancellationToken);

        if (invocation!.Status != "Success")
        {
            throw new LabStepException("CommandFailed",
                $"The command ended {invocation.Status}: {invocation.StandardErrorContent}",
                $"명령이 {invocation.Status} 상태로 끝났습니다: {invocation.StandardErrorContent}");
        }

        await context.SetOutputsAsync(o => o.DrillStoppedAt = invocation.ExecutionEndDateTime ?? "", cancellationToken);
    }
}
