using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// Fills the choices of parameters whose values exist only in the learner's cloud
/// (<c>choicesFrom</c> in lab.yaml), read from the cloud each time the form is shown or posted.
/// </summary>
public sealed partial class RuntimeChoices(LearnerCloud cloud, ILogger<RuntimeChoices> logger)
{
    /// <summary>The lab's Auto Scaling group's InService instances: value = instance id, label = id and Availability Zone.</summary>
    public const string GroupInstances = "groupInstances";

    /// <summary>The run-time choices of each of the step's <c>choicesFrom</c> parameters; null for a parameter whose source could not be read.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ParameterChoice>?>> ForStepAsync(RunView view, StepDefinition step, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, IReadOnlyList<ParameterChoice>?>(StringComparer.Ordinal);
        foreach (var parameter in step.Parameters.Where(p => p.ChoicesFrom is not null))
        {
            result[parameter.Name] = parameter.ChoicesFrom switch
            {
                GroupInstances => await GroupInstancesAsync(view, cancellationToken),
                _ => null,
            };
        }

        return result;
    }

    private async Task<IReadOnlyList<ParameterChoice>?> GroupInstancesAsync(RunView view, CancellationToken cancellationToken)
    {
        if (!view.Placeholders.TryGetValue("outputs.autoScalingGroupName", out var name))
        {
            return [];
        }

        try
        {
            var clients = await cloud.ClientsForAsync(view.Run, view.Lab.Region, cancellationToken);
            var response = await clients.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [name] }, cancellationToken);
            var instances = response.AutoScalingGroups is { Count: > 0 } groups ? groups[0].Instances ?? [] : [];
            var inService = instances.Where(i => i.LifecycleState == "InService" && i.InstanceId is not null).ToList();
            var launched = await LaunchTimesAsync(clients, [.. inService.Select(i => i.InstanceId!)], cancellationToken);
            // Oldest first, so the form starts on the oldest running instance, as the lab's text advises.
            return [.. inService
                .OrderBy(i => launched.GetValueOrDefault(i.InstanceId!) ?? DateTimeOffset.MaxValue).ThenBy(i => i.InstanceId, StringComparer.Ordinal)
                .Select(i => new ParameterChoice
                {
                    Value = i.InstanceId!,
                    Label = new LocalizedText { En = $"{i.InstanceId} ({i.AvailabilityZone})", Ko = $"{i.InstanceId} ({i.AvailabilityZone})" },
                })];
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            LogUnreadable(e, view.Run.Id);
            return null;
        }
    }

    private static async Task<Dictionary<string, DateTimeOffset?>> LaunchTimesAsync(AwsClients clients, List<string> instanceIds, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0)
        {
            return [];
        }

        var described = await clients.Ec2.DescribeInstancesAsync(new Amazon.EC2.Model.DescribeInstancesRequest { InstanceIds = instanceIds }, cancellationToken);
        return (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Where(i => i.InstanceId is not null).ToDictionary(i => i.InstanceId!, i => i.LaunchTime is { } launched ? new DateTimeOffset(launched.ToUniversalTime()) : (DateTimeOffset?)null, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the Auto Scaling group of run {RunId} for the form's choices")]
    private partial void LogUnreadable(Exception exception, int runId);
}
