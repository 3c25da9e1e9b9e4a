using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns.Drill;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>Lab 2 through the pages on the in-process sandbox: a real group, real health checks, a real drill.</summary>
[Trait("Category", "E2E")]
public sealed class Lab2OnSandboxTests : IAsyncLifetime
{
    /// <summary>AWS durations run this many times faster: a load balancer provisions in 0.6 s, a health check interval is 0.15 s.</summary>
    private const int TimeScale = 200;

    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?>
        {
            ["Labs:Directory"] = Lab1Flow.ShippedLabs,
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:TimeScale"] = TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Student_completes_Lab_2_the_drill_replaces_the_stopped_server_and_teardown_leaves_nothing()
    {
        var flow = await Lab2Flow.StartAsync(_factory, "Lab Two");
        var aws = await flow.LearnerClientsAsync();
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("launch-template"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("auto-scaling-group"));
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("auto-scaling-group"));
        var outputs = await flow.Pages.OutputsAsync();
        var group = await DescribeGroupAsync(aws, outputs["autoScalingGroupName"]);
        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], group.Instances!.Select(i => i.AvailabilityZone).Order());

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("target-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("load-balancer"));
        Lab1Flow.AssertNoneFailed(await EventuallyAsync(() => flow.Pages.CheckAsync("load-balancer"), v => v.Values.All(x => x.StartsWith("Passed", StringComparison.Ordinal))));
        outputs = await flow.Pages.OutputsAsync();

        // The page names the instance and its zone, read from the metadata service by the user data.
        var endpoints = _factory.Services.GetRequiredService<LabPortal.Sandbox.SandboxEndpoints>();
        var page = await GetThroughBalancerAsync(endpoints, outputs["loadBalancerDns"], "/");
        Assert.Matches(@"Hello from i-[0-9a-f]+", page);
        Assert.Matches(@"Availability Zone: ap-northeast-2[ac]", page);

        // Scaling before attaching: the new instance is InService but not a target (the post's discovery).
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("scale-before-attach"));
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("scale-before-attach"));
        group = await DescribeGroupAsync(aws, outputs["autoScalingGroupName"]);
        var targets = await TargetIdsAsync(aws, outputs["targetGroupArn"]);
        var missing = group.Instances!.Select(i => i.InstanceId!).Except(targets).ToList();
        Assert.Single(missing);

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("attach"));
        Assert.Contains(missing[0], await TargetIdsAsync(aws, outputs["targetGroupArn"]));
        Lab1Flow.AssertNoneFailed(await EventuallyAsync(() => flow.Pages.CheckAsync("attach"), v => v.Values.All(x => x.StartsWith("Passed", StringComparison.Ordinal))));
        await flow.PassQuizAsync("think");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("elb-health-checks"));
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("elb-health-checks"));

        // The drill's choices are the group's InService instances with their zones.
        group = await DescribeGroupAsync(aws, outputs["autoScalingGroupName"]);
        var userId = await flow.Pages.Wizard.UserIdAsync();
        var choices = (await flow.Pages.Wizard.Wizard.ChoicesAsync(userId, flow.Pages.RunId, "drill"))!["instanceId"]!;
        var options = choices.Select(c => (c.Value, c.Label!.En)).ToList();
        Assert.Equal(
            group.Instances!.Where(i => i.LifecycleState == "InService").Select(i => (i.InstanceId!, $"{i.InstanceId} ({i.AvailabilityZone})")).OrderBy(x => x.Item1, StringComparer.Ordinal),
            options.OrderBy(x => x.Item1, StringComparer.Ordinal));
        var victim = options[0].Item1;

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("drill", new Dictionary<string, string> { ["instanceId"] = victim }));

        // The timeline, read as the page reads it, until it says the group is whole again.
        var timeline = await EventuallyAsync(async () => (await flow.Pages.Wizard.Wizard.DrillAsync(userId, flow.Pages.RunId))!.Value.Timeline, t => t is { Settled: true }, seconds: 120);
        Assert.NotNull(timeline);
        var kinds = timeline.Events.Select(e => e.Kind).ToList();
        // Whole seconds: the precision of AWS's activity causes.
        var seconds = timeline.Events.Select(e => e.At.ToUnixTimeSeconds()).ToList();
        Assert.Equal(seconds.Order(), seconds);
        DrillEventKind[] expected = [DrillEventKind.CommandSent, DrillEventKind.WebServerStopped, DrillEventKind.TargetUnhealthy, DrillEventKind.Terminating, DrillEventKind.Launching, DrillEventKind.ReplacementRegistered, DrillEventKind.ReplacementHealthy];
        Assert.Equal(expected, kinds.Where(expected.Contains).Distinct());
        var terminating = timeline.Events.First(e => e.Kind == DrillEventKind.Terminating).English;
        Assert.Contains(victim, terminating, StringComparison.Ordinal);
        Assert.Contains("ELB system health check failure", terminating, StringComparison.Ordinal);

        group = await DescribeGroupAsync(aws, outputs["autoScalingGroupName"]);
        Assert.DoesNotContain(group.Instances!, i => i.InstanceId == victim);
        Assert.Equal(group.DesiredCapacity, group.Instances!.Count(i => i.LifecycleState == "InService" && i.HealthStatus == "Healthy"));
        var health = await aws.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = outputs["targetGroupArn"] });
        Assert.Equal(group.Instances!.Select(i => i.InstanceId).Order(), health.TargetHealthDescriptions!.Where(t => t.TargetHealth?.State == "healthy").Select(t => t.Target!.Id).Order());
        Lab1Flow.AssertNoneFailed(await flow.Pages.CheckAsync("drill"));

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("path-routing"));
        var routed = await EventuallyAsync(() => flow.Pages.CheckAsync("path-routing"), v => v.Values.All(x => x.StartsWith("Passed", StringComparison.Ordinal)));
        Assert.StartsWith("Passed", routed["ImageRuleRoutes"], StringComparison.Ordinal);
        // The live panel asks for both paths and shows who answered each.
        var panel = await PanelWatch.UntilAsync(_factory.Services, flow.Pages.RunId, p => p.Requests.Any(r => r.Path == "/images/") && p.Requests.Any(r => r.Path == "/"));
        var answers = panel.Requests.Select(r => ((string?)r.Path, (string?)r.Page)).ToList();
        Assert.Contains(("/images/", "image server"), answers);
        Assert.Contains(answers, a => a.Item1 == "/" && a.Item2!.StartsWith("Hello from i-", StringComparison.Ordinal));

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("finish"));
        Assert.All(await flow.Pages.LedgerAsync(), e => Assert.Equal(LedgerState.Deleted, e.State));
        using var scope = _factory.Services.CreateScope();
        var account = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().CloudAccounts.SingleAsync();
        var left = await _factory.Services.GetRequiredService<LabPortal.Sandbox.Accounts.ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    [Fact]
    public async Task Drill_with_EC2_health_checks_keeps_the_instance_whose_web_server_is_down()
    {
        var flow = await Lab2Flow.StartAsync(_factory, "EC2 Checks");
        await flow.BuildUpToElbHealthChecksAsync();
        var aws = await flow.LearnerClientsAsync();
        var outputs = await flow.Pages.OutputsAsync();
        var groupName = outputs["autoScalingGroupName"];
        // The post's "think about it" case: the group left at its default, EC2 health checks only.
        await aws.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest { AutoScalingGroupName = groupName, HealthCheckType = "EC2" });
        var victim = (await DescribeGroupAsync(aws, groupName)).Instances!.First(i => i.LifecycleState == "InService").InstanceId!;

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("drill", new Dictionary<string, string> { ["Values[instanceId]"] = victim }));

        // Ten minutes of AWS time: with ELB health checks the first test sees the replacement well within it.
        await Task.Delay(TimeSpan.FromMinutes(10) / TimeScale);
        var group = await DescribeGroupAsync(aws, groupName);
        var kept = Assert.Single(group.Instances!, i => i.InstanceId == victim);
        Assert.Equal(("InService", "Healthy"), (kept.LifecycleState?.Value, kept.HealthStatus));
        var target = (await aws.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = outputs["targetGroupArn"] })).TargetHealthDescriptions!.Single(t => t.Target!.Id == victim);
        Assert.Equal("unhealthy", target.TargetHealth!.State);
        var activities = await aws.AutoScaling.DescribeScalingActivitiesAsync(new DescribeScalingActivitiesRequest { AutoScalingGroupName = groupName });
        Assert.DoesNotContain(activities.Activities!, a => a.Description!.StartsWith("Terminating", StringComparison.Ordinal));

        var timeline = await flow.GetTimelineAsync();
        Assert.NotNull(timeline);
        Assert.True(timeline.KeepPolling);
        Assert.Contains(timeline.Events, e => e.Kind == DrillEventKind.TargetUnhealthy);
        Assert.DoesNotContain(timeline.Events, e => e.Kind == DrillEventKind.Terminating);
        Assert.Contains("InService, Healthy", timeline.GroupNowEnglish, StringComparison.Ordinal);
        Assert.StartsWith("unhealthy", timeline.TargetNow, StringComparison.Ordinal);

        // The same timeline in Korean.
        Assert.Contains("로드 밸런서가", timeline.Events.First(e => e.Kind == DrillEventKind.TargetUnhealthy).Korean, StringComparison.Ordinal);
        Assert.Contains("상태 확인 유형 EC2", timeline.GroupNowKorean, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Steps_retried_after_a_crash_between_create_and_ledger_find_their_resources_instead_of_creating_more()
    {
        var flow = await Lab2Flow.StartAsync(_factory, "Crash Retry");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("launch-template"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("auto-scaling-group"));

        // As if the portal had died right after each create call: the ledger knows the intent, not the id.
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            foreach (var entry in await db.Ledger.Where(e => e.Kind == ResourceKind.LaunchTemplate || e.Kind == ResourceKind.AutoScalingGroup).ToListAsync())
            {
                entry.ResourceId = null;
                entry.State = LedgerState.Intended;
            }

            await db.SaveChangesAsync();
        }

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("launch-template"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("auto-scaling-group"));

        var aws = await flow.LearnerClientsAsync();
        var templates = await aws.Ec2.DescribeLaunchTemplatesAsync(new Amazon.EC2.Model.DescribeLaunchTemplatesRequest());
        Assert.Single(templates.LaunchTemplates!);
        var groups = await aws.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest());
        var group = Assert.Single(groups.AutoScalingGroups!);
        Assert.Equal(2, group.Instances!.Count);
        var ledger = await flow.Pages.LedgerAsync();
        Assert.Equal(templates.LaunchTemplates![0].LaunchTemplateId, ledger.Single(e => e.Kind == ResourceKind.LaunchTemplate).ResourceId);
        Assert.Equal(group.AutoScalingGroupName, ledger.Single(e => e.Kind == ResourceKind.AutoScalingGroup).ResourceId);
    }

    [Fact]
    public async Task Drill_refuses_an_instance_that_is_not_in_the_group_and_schedules_nothing()
    {
        var flow = await Lab2Flow.StartAsync(_factory, "Bad Choice");
        await flow.BuildUpToElbHealthChecksAsync();

        var result = await flow.Pages.Wizard.SubmitAsShownAsync(flow.Pages.RunId, "drill", new Dictionary<string, string> { ["instanceId"] = "i-0123456789abcdef0" });

        Assert.False(result!.Succeeded);
        Assert.Contains("Choose one of the listed values", result.Errors["instanceId"], StringComparison.Ordinal);
        using var scope = _factory.Services.CreateScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().StepRuns.AnyAsync(s => s.StepId == "drill"));
    }

    private static async Task<AutoScalingGroup> DescribeGroupAsync(AwsClients aws, string name) =>
        (await aws.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [name] })).AutoScalingGroups!.Single();

    private static async Task<List<string>> TargetIdsAsync(AwsClients aws, string targetGroupArn) =>
        [.. (await aws.Elbv2.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn })).TargetHealthDescriptions!.Select(t => t.Target!.Id!)];

    private static async Task<string> GetThroughBalancerAsync(LabPortal.Sandbox.SandboxEndpoints endpoints, string dns, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoints.DataPlane, path));
        request.Headers.Host = dns;
        return await (await http.SendAsync(request)).Content.ReadAsStringAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(250);
        }
    }
}
