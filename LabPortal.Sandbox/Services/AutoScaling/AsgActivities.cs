using System.Globalization;
using System.Text.Json.Nodes;

namespace LabPortal.Sandbox.Services.AutoScaling;

/// <summary>Scaling activities as AWS words them: new activities, their completion, causes and details.</summary>
internal static class AsgActivities
{
    public static AsgActivity NewActivity(AutoScalingRegionState asg, AsgGroup group, string description, string cause, DateTimeOffset now)
    {
        var activity = new AsgActivity
        {
            ActivityId = Guid.NewGuid().ToString(),
            GroupName = group.Name,
            GroupArn = group.Arn,
            Description = description,
            Cause = cause,
            StartTime = now,
        };
        asg.AddActivity(activity);
        return activity;
    }

    public static void Complete(AutoScalingRegionState asg, string? activityId, DateTimeOffset now)
    {
        var activity = activityId is null ? null : asg.Activities.FirstOrDefault(a => a.ActivityId == activityId);
        if (activity is not null && activity.EndTime is null)
        {
            activity.StatusCode = "Successful";
            activity.Progress = 100;
            activity.EndTime = now;
        }
    }

    /// <summary>The timestamp style of AWS activity causes: <c>2016-09-07T13:42:46Z</c>.</summary>
    public static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>AWS separates the sentences of a Cause with two spaces.</summary>
    public static string Join(string? first, string second) => first is null ? second : first + "  " + second;

    public static string DetailsJson(string? subnetId, string zone)
    {
        var details = new JsonObject();
        if (subnetId is not null)
        {
            details["Subnet ID"] = subnetId;
        }

        details["Availability Zone"] = zone;
        return details.ToJsonString();
    }
}
