using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Drill;

/// <summary>
/// Builds the drill timeline from real reads: the SSM command the drill step sent, the target's
/// health (DescribeTargetHealth, first sightings kept by <see cref="DrillObservations"/>), the
/// group's activities since the drill (DescribeScalingActivities: "Terminating EC2 instance ...",
/// "Launching a new EC2 instance ...", with AWS's times) and the replacement's registration and
/// health. Nothing is assumed: an event appears only once a read shows it.
/// </summary>
public sealed partial class DrillTimeline(LearnerCloud cloud, DrillObservations observations, TimeProvider time)
{
    /// <summary>After this long the page stops reading (a drill that never settles, e.g. with EC2 health checks).</summary>
    public static readonly TimeSpan PollFor = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The timeline, or null when no drill ran yet; when the cloud cannot be read right now, the
    /// reason in both languages instead (the page keeps reading).
    /// </summary>
    public async Task<(DrillTimelineView? Timeline, string? Problem)> TryBuildAsync(RunView view, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await BuildAsync(view, cancellationToken), null);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            var code = e is AmazonServiceException aws ? aws.ErrorCode : "connection";
            return (null, Infrastructure.Localization.L.T($"The portal could not read the cloud just now ({code}); it tries again.", $"지금 클라우드를 읽지 못했습니다({code}). 다시 시도합니다."));
        }
    }

    /// <summary>The timeline of the run's latest drill, or null when no drill ran yet.</summary>
    public async Task<DrillTimelineView?> BuildAsync(RunView view, CancellationToken cancellationToken = default)
    {
        var outputs = RunOutputs.Of(view.Run);
        if (outputs.DrillInstanceId is not { } instanceId || !TryParse(outputs.DrillStartedAt, out var startedAt)
            || outputs.AutoScalingGroupName is not { } groupName || outputs.TargetGroupArn is not { } targetGroupArn)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var runId = view.Run.Id;
        var events = new List<DrillEvent>
        {
            new(startedAt, DrillEventKind.CommandSent,
                $"Run Command sent \"systemctl stop nginx\" to {instanceId}.",
                $"Run Command로 {instanceId}에 \"systemctl stop nginx\"를 보냈습니다.", "SSM SendCommand", Observed: false),
        };
        if (TryParse(outputs.DrillStoppedAt, out var stoppedAt))
        {
            events.Add(new(stoppedAt, DrillEventKind.WebServerStopped,
                $"The command finished: nginx is stopped on {instanceId}; the instance keeps running.",
                $"명령이 끝났습니다. {instanceId}의 nginx가 멈췄고 인스턴스는 계속 실행 중입니다.", "SSM GetCommandInvocation", Observed: false));
        }

        var clients = await cloud.ClientsForAsync(view.Run, view.Lab.Region, cancellationToken);
        var health = await TargetHealthAsync(clients, targetGroupArn, cancellationToken);
        foreach (var target in health)
        {
            if (target.Target?.Id is { } id && target.TargetHealth?.State?.Value is { } state)
            {
                observations.FirstSeen(runId, id, state, now);
                if (state is not ("draining" or "unused"))
                {
                    observations.FirstSeen(runId, id, "registered", now);
                }
            }
        }

        var activities = await ActivitiesSinceAsync(clients, groupName, startedAt, cancellationToken);
        var terminating = activities.FirstOrDefault(a => a.Description?.StartsWith("Terminating EC2 instance", StringComparison.Ordinal) == true && a.Description.Contains(instanceId, StringComparison.Ordinal));
        AddUnhealthy(events, outputs, runId, instanceId, terminating);

        foreach (var activity in activities)
        {
            var description = activity.Description ?? "";
            if (activity.StartTime is not { } start)
            {
                continue;
            }

            if (description.StartsWith("Terminating EC2 instance", StringComparison.Ordinal))
            {
                events.Add(new(start, DrillEventKind.Terminating,
                    $"Auto Scaling activity: {description}. Cause: {activity.Cause}",
                    $"Auto Scaling 활동: {description}. 원인: {activity.Cause}", "DescribeScalingActivities", Observed: false));
                if (activity.EndTime is { } end && activity.StatusCode == "Successful")
                {
                    events.Add(new(end, DrillEventKind.Terminated,
                        $"The activity \"{description}\" completed: the instance is terminated.",
                        $"\"{description}\" 활동이 끝났습니다. 인스턴스가 종료되었습니다.", "DescribeScalingActivities", Observed: false));
                }
            }
            else if (description.StartsWith("Launching a new EC2 instance", StringComparison.Ordinal))
            {
                events.Add(new(start, DrillEventKind.Launching,
                    $"Auto Scaling activity: {description} ({activity.StatusCode}).",
                    $"Auto Scaling 활동: {description} ({activity.StatusCode}).", "DescribeScalingActivities", Observed: false));
                if (InstanceIdRegex().Match(description) is { Success: true } match)
                {
                    AddReplacement(events, runId, match.Value);
                }
            }
        }

        var group = await DescribeGroupAsync(clients, groupName, cancellationToken);
        var drilled = group?.Instances?.FirstOrDefault(i => i.InstanceId == instanceId);
        var drilledTarget = health.FirstOrDefault(t => t.Target?.Id == instanceId)?.TargetHealth;
        var replacementsHealthy = events.Any(e => e.Kind == DrillEventKind.ReplacementHealthy);
        var settled = replacementsHealthy && drilled is null && group is not null && Actions.AutoScalingGroups.AtDesiredCapacity(group)
            && health.Where(Actions.AutoScalingGroups.IsRegistered).All(t => t.TargetHealth?.State == "healthy");

        return new DrillTimelineView(
            instanceId,
            [.. events.OrderBy(e => e.Second).ThenBy(e => e.Kind).ThenBy(e => e.At)],
            drilledTarget is null ? null : $"{drilledTarget.State}{(drilledTarget.Reason is { } reason ? $" ({reason})" : "")}",
            drilled is null ? null : $"{drilled.LifecycleState}, {drilled.HealthStatus} (health check type {group!.HealthCheckType})",
            drilled is null ? null : $"{drilled.LifecycleState}, {drilled.HealthStatus} (상태 확인 유형 {group!.HealthCheckType})",
            settled,
            Stale: now - startedAt > PollFor || view.Run.Status != LabRunStatus.Active);
    }

    /// <summary>
    /// When the target turned unhealthy: the drill step's own sighting, else this page's, else the
    /// group's record of the ELB health check failure in the termination's cause.
    /// </summary>
    private void AddUnhealthy(List<DrillEvent> events, RunOutputs outputs, int runId, string instanceId, Activity? terminating)
    {
        var reason = outputs.DrillUnhealthyReason is { Length: > 0 } r ? r : "Target.FailedHealthChecks";
        var english = $"The load balancer reports {instanceId} unhealthy ({reason}) and stops sending it requests.";
        var korean = $"로드 밸런서가 {instanceId}을(를) unhealthy({reason})로 보고하고 더 이상 요청을 보내지 않습니다.";
        if (TryParse(outputs.DrillUnhealthyAt, out var seenByStep))
        {
            events.Add(new(seenByStep, DrillEventKind.TargetUnhealthy, english, korean, "DescribeTargetHealth", Observed: true));
        }
        else if (observations.Seen(runId, instanceId, "unhealthy") is { } seen)
        {
            events.Add(new(seen, DrillEventKind.TargetUnhealthy, english, korean, "DescribeTargetHealth", Observed: true));
        }
        else if (terminating?.Cause is { } cause && ElbFailureRegex().Match(cause) is { Success: true } match && TryParse(match.Groups["at"].Value, out var recorded))
        {
            events.Add(new(recorded, DrillEventKind.TargetUnhealthy,
                $"Auto Scaling recorded an ELB health check failure for {instanceId}.",
                $"Auto Scaling이 {instanceId}의 ELB 상태 검사 실패를 기록했습니다.", "DescribeScalingActivities (Cause)", Observed: false));
        }
    }

    private void AddReplacement(List<DrillEvent> events, int runId, string replacementId)
    {
        if (observations.Seen(runId, replacementId, "registered") is { } registered)
        {
            events.Add(new(registered, DrillEventKind.ReplacementRegistered,
                $"The replacement {replacementId} is registered in the target group.",
                $"교체 인스턴스 {replacementId}이(가) 대상 그룹에 등록되었습니다.", "DescribeTargetHealth", Observed: true));
        }

        if (observations.Seen(runId, replacementId, "healthy") is { } healthy)
        {
            events.Add(new(healthy, DrillEventKind.ReplacementHealthy,
                $"The replacement {replacementId} passed its health check: healthy, and it gets requests.",
                $"교체 인스턴스 {replacementId}이(가) 상태 검사를 통과해 healthy가 되었고 요청을 받습니다.", "DescribeTargetHealth", Observed: true));
        }
    }

    private static async Task<IReadOnlyList<TargetHealthDescription>> TargetHealthAsync(AwsClients clients, string targetGroupArn, CancellationToken cancellationToken)
    {
        try
        {
            return (await clients.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, cancellationToken)).TargetHealthDescriptions ?? [];
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "TargetGroupNotFound")
        {
            // Torn down since: nothing is registered any more.
            return [];
        }
    }

    private static async Task<IReadOnlyList<Activity>> ActivitiesSinceAsync(AwsClients clients, string groupName, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            // Newest first; a drill produces a handful, 50 leaves room for a busy group.
            var response = await clients.AutoScaling.DescribeScalingActivitiesAsync(new DescribeScalingActivitiesRequest { AutoScalingGroupName = groupName, MaxRecords = 50 }, cancellationToken);
            // Whole seconds: AWS's activity times and the command's time may be rounded differently.
            return [.. (response.Activities ?? []).Where(a => a.StartTime >= since.AddSeconds(-1))];
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "ValidationError")
        {
            return [];
        }
    }

    private static async Task<AutoScalingGroup?> DescribeGroupAsync(AwsClients clients, string groupName, CancellationToken cancellationToken)
    {
        var response = await clients.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [groupName] }, cancellationToken);
        return response.AutoScalingGroups is { Count: > 0 } groups ? groups[0] : null;
    }

    private static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    [GeneratedRegex(@"\bi-[0-9a-f]{8,17}\b")]
    private static partial Regex InstanceIdRegex();

    /// <summary>AWS's cause: "At 2022-05-14T20:11:53Z an instance was taken out of service in response to an ELB system health check failure."</summary>
    [GeneratedRegex(@"At (?<at>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) an instance was taken out of service in response to an ELB system health check failure")]
    private static partial Regex ElbFailureRegex();
}
