using System.Globalization;
using System.Xml;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>
/// Auto Scaling (<c>Version=2011-01-01</c>, Query protocol, signing name <c>autoscaling</c>): groups
/// launched from EC2 launch templates, attached to ELBv2 target groups, kept at capacity by
/// <see cref="AutoScalingController"/>. Operations live in partial files by area.
/// </summary>
public sealed partial class AutoScalingService : ApiService
{
    public const string Namespace = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly AutoScalingController _controller;
    private readonly AutoScalingCapacity _capacity;
    private readonly AutoScalingTargetGroups _targetGroups;
    private readonly IEc2Instances _ec2;

    public AutoScalingService(SandboxState state, SandboxClock clock, AutoScalingController controller, AutoScalingCapacity capacity, AutoScalingTargetGroups targetGroups, IEc2Instances ec2)
        : base("autoscaling", WireProtocol.Query, Namespace, "2011-01-01")
    {
        _state = state;
        _clock = clock;
        _controller = controller;
        _capacity = capacity;
        _targetGroups = targetGroups;
        _ec2 = ec2;

        Register("CreateAutoScalingGroup", CreateAutoScalingGroupAsync);
        Register("DescribeAutoScalingGroups", DescribeAutoScalingGroupsAsync);
        Register("UpdateAutoScalingGroup", UpdateAutoScalingGroupAsync);
        Register("DeleteAutoScalingGroup", DeleteAutoScalingGroupAsync);
        Register("SetDesiredCapacity", SetDesiredCapacityAsync);
        Register("AttachLoadBalancerTargetGroups", AttachLoadBalancerTargetGroupsAsync);
        Register("DetachLoadBalancerTargetGroups", DetachLoadBalancerTargetGroupsAsync);
        Register("DescribeLoadBalancerTargetGroups", DescribeLoadBalancerTargetGroupsAsync);
        Register("AttachTrafficSources", AttachTrafficSourcesAsync);
        Register("DetachTrafficSources", DetachTrafficSourcesAsync);
        Register("DescribeTrafficSources", DescribeTrafficSourcesAsync);
        Register("DescribeAutoScalingInstances", DescribeAutoScalingInstancesAsync);
        Register("DescribeScalingActivities", DescribeScalingActivitiesAsync);
        Register("SetInstanceHealth", SetInstanceHealthAsync);
        Register("TerminateInstanceInAutoScalingGroup", TerminateInstanceInAutoScalingGroupAsync);
        Register("CreateOrUpdateTags", CreateOrUpdateTagsAsync);
        Register("DeleteTags", DeleteTagsAsync);
        Register("DescribeTags", DescribeTagsAsync);
    }

    private DateTimeOffset Now => _clock.UtcNow;

    /// <summary>The group or AWS's error for an unknown name (aws-behaviour.md section 2.5).</summary>
    private static AsgGroup FindGroup(AutoScalingRegionState asg, string name) =>
        asg.Groups.GetValueOrDefault(name) ?? throw GroupNotFound(name);

    private static ApiException GroupNotFound(string name) =>
        new("ValidationError", $"AutoScalingGroup name not found - AutoScalingGroup {QueryParameters.Shorten(name)} not found");

    /// <summary>Operations on a group that ForceDelete is draining are refused while the activities run.</summary>
    private static void EnsureNotDeleting(AsgGroup group)
    {
        if (group.Deleting)
        {
            throw new ApiException("ScalingActivityInProgress", $"AutoScalingGroup {group.Name} is pending delete; scaling activities are in progress.");
        }
    }

    /// <summary>Applies MaxRecords/NextToken (an offset) to an ordered list.</summary>
    private static (List<T> Page, string? NextToken) Paginate<T>(IReadOnlyList<T> items, QueryParameters parameters, int max = 100, int? defaultSize = null)
    {
        var maxRecords = parameters.GetInt("MaxRecords", 1, max) ?? defaultSize ?? max;
        var token = parameters.Get("NextToken");
        var start = 0;
        if (!string.IsNullOrEmpty(token)
            && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > items.Count))
        {
            throw new ApiException("InvalidNextToken", "The token provided is invalid.");
        }

        var page = items.Skip(start).Take(maxRecords).ToList();
        var next = start + page.Count < items.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return (page, next);
    }

    /// <summary>The LaunchTemplate structure; <c>Version</c> only when the caller gave one (verified against AWS, issue 19).</summary>
    private static void WriteLaunchTemplate(XmlWriter w, string? id, string? name, string? version) =>
        w.Struct("LaunchTemplate", x => x.Element("LaunchTemplateId", id).Element("LaunchTemplateName", name).Element("Version", version));

    private static void WriteActivity(XmlWriter w, AsgActivity a, bool withGroupState)
    {
        w.Element("ActivityId", a.ActivityId)
            .Element("AutoScalingGroupName", a.GroupName)
            .Element("Description", a.Description)
            .Element("Cause", a.Cause)
            .Element("StartTime", a.StartTime)
            .Element("EndTime", a.EndTime)
            .Element("StatusCode", a.StatusCode)
            .Element("StatusMessage", a.StatusMessage)
            .Element("Progress", a.Progress)
            .Element("Details", a.Details)
            .Element("AutoScalingGroupState", withGroupState ? (a.GroupDeleted ? "Deleted" : "InService") : null)
            .Element("AutoScalingGroupARN", a.GroupArn);
    }

    /// <summary>Queues a controller pass once the call's changes are committed and the lock released.</summary>
    private void WakeAfter(AccountScope scope)
    {
        var accountId = scope.AccountId;
        scope.OnReleased(() => _controller.Wake(accountId));
    }
}
