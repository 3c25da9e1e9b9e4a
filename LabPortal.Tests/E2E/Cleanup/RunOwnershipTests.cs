using System.Globalization;
using Amazon.EC2.Model;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ec2Filter = Amazon.EC2.Model.Filter;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Issue 13, "adoption only of what this run created": a security group found by the step's name is
/// the run's only when it carries the run's tag. One the learner made by hand with the same name is
/// never adopted: the step fails with the reason, the group's rules stay as they were and the ledger
/// does not claim it. The same for every kind found by name (target groups, load balancers); the
/// VPC's <c>default</c> group is refused in the form; a second run never shares the first's resources;
/// the run's own group made just before a crash is adopted once.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RunOwnershipTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Security_group_step_refuses_an_untagged_group_of_the_same_name_and_changes_nothing()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "OWNSG1");
        using var student = await Students.JoinAsync(factory, code, "Owner Learner");
        await ForeignSecurityGroupAsync(factory, student, "Owner Learner", learnerId => ClientsAsync(factory, learnerId));
    }

    /// <summary>A security group made by hand (untagged) with the step's name: the step fails with the reason, the group's rules and the ledger unchanged.</summary>
    internal static async Task ForeignSecurityGroupAsync(PortalFactory factory, PortalClient student, string learnerName, Func<int, Task<AwsClients>> clientsFor)
    {
        var learnerId = await PortalState.UserIdAsync(factory, learnerName);
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "security-group");

        // Made by hand in the learner's account, untagged, with the name the step will use.
        var clients = await clientsFor(learnerId);
        var vpcId = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Ec2Filter("is-default", ["true"])] })).Vpcs![0].VpcId!;
        var foreign = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "web-sg", Description = "made by hand", VpcId = vpcId })).GroupId!;
        await clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = foreign,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }] }],
        });
        var rulesBefore = await RulesAsync(clients, foreign);

        var submitted = await driver.Wizard.SubmitAsShownAsync(driver.RunId, "security-group");
        Assert.True(submitted is { Succeeded: true }, "The form was refused.");
        var step = await driver.WaitForStepAsync("security-group");

        Assert.Equal(StepRunStatus.Failed, step.Status);
        Assert.Equal("ResourceNotOwned", step.ErrorCode);
        Assert.Contains("a security group named web-sg already exists in your account and was not made by this lab run: choose another name, or delete it", step.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(rulesBefore, await RulesAsync(clients, foreign));
        var ledger = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId).ToListAsync());
        Assert.DoesNotContain(ledger, e => e.ResourceId == foreign);
        Assert.DoesNotContain(ledger, e => e.Kind == ResourceKind.SecurityGroup);
        var outputs = await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.OutputsJson).SingleAsync());
        Assert.DoesNotContain(foreign, outputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_is_refused_in_the_form_the_default_group_is_untouched_and_a_second_run_after_a_kept_first_shares_nothing()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "OWNSG2");
        using var student = await Students.JoinAsync(factory, code, "Twice Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Twice Learner");
        var first = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        var clients = await ClientsAsync(factory, learnerId);
        var defaultGroup = (await clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Ec2Filter("group-name", ["default"])] })).SecurityGroups!.Single().GroupId!;
        var defaultRulesBefore = await RulesAsync(clients, defaultGroup);

        // The form refuses the VPC's own group by AWS's rule, before anything is called.
        await first.FinishAllButTeardownAsync(stopBefore: "security-group");
        var refused = await first.Wizard.SubmitAsShownAsync(first.RunId, "security-group", new Dictionary<string, string> { ["groupName"] = "default" });
        Assert.NotNull(refused);
        Assert.False(refused.Succeeded);
        Assert.Contains("InvalidGroup.Reserved", refused.Errors["groupName"], StringComparison.Ordinal);
        Assert.Equal(0, await PortalState.ReadAsync(factory, db => db.StepRuns.CountAsync(s => s.LabRunId == first.RunId && s.StepId == "security-group")));

        // A whole Lab 1, kept.
        await first.FinishAllButTeardownAsync();
        var kept = await first.Wizard.Wizard.KeepAsync(learnerId, first.RunId, "finish");
        Assert.True(kept is { Succeeded: true });
        Assert.Equal(defaultRulesBefore, await RulesAsync(clients, defaultGroup));
        var firstResources = await LedgerIdsAsync(factory, first.RunId);

        // A second run: its check fails before its step ran, although the first run's web-sg is there.
        var second = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        Assert.NotEqual(first.RunId, second.RunId);
        await second.FinishAllButTeardownAsync(stopBefore: "security-group");
        var verdicts = await second.Wizard.CheckAsync(second.RunId, "security-group");
        Assert.NotNull(verdicts);
        Assert.Contains(verdicts, v => v.Verdict == Features.LabRuns.Engine.CheckVerdict.Failed && v.Check == "SecurityGroupExists");

        // Its step with the same name does not take the first run's group over.
        Assert.True((await second.Wizard.SubmitAsShownAsync(second.RunId, "security-group")) is { Succeeded: true });
        var taken = await second.WaitForStepAsync("security-group");
        Assert.Equal(StepRunStatus.Failed, taken.Status);
        Assert.Equal("ResourceNotOwned", taken.ErrorCode);

        // With names of its own it runs to the end, holding nothing of the first run's.
        second.Overrides["security-group"] = new() { ["groupName"] = "web-sg-2" };
        second.Overrides["target-group"] = new() { ["targetGroupName"] = "web-tg-2" };
        second.Overrides["load-balancer"] = new() { ["loadBalancerName"] = "web-alb-2", ["albSecurityGroupName"] = "web-alb-sg-2" };
        foreach (var step in second.Lab.Steps.SkipWhile(s => s.Id != "security-group").TakeWhile(s => s.Kind != Features.Labs.Definitions.StepKind.Finish))
        {
            await second.DoStepAsync(step);
        }

        var secondResources = await LedgerIdsAsync(factory, second.RunId);
        Assert.Equal(firstResources.Count, secondResources.Count);
        Assert.Empty(firstResources.Intersect(secondResources));

        // Tearing the second run down leaves the first run's resources as they were.
        Assert.True((await second.Wizard.SubmitAsShownAsync(second.RunId, "finish")) is { Succeeded: true });
        await PortalState.WaitForAsync(factory, db => db.LabRuns.Where(r => r.Id == second.RunId).Select(r => r.Status).SingleAsync(), s => s == LabRunStatus.TornDown, "the second run's teardown", seconds: 180);
        foreach (var entry in await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == first.RunId && e.ResourceId != null).ToListAsync()))
        {
            Assert.Equal(LedgerState.Created, entry.State);
            if (ResourceKinds.Tagged.Contains(entry.Kind))
            {
                var tags = await ResourceTags.ReadAsync(clients, entry.Kind, entry.ResourceId!);
                Assert.True(tags is not null, $"{entry.Kind} {entry.ResourceId} of the first run is gone.");
                Assert.Contains(("lab-portal:run", first.RunId.ToString(CultureInfo.InvariantCulture)), tags!);
            }
        }

        var instances = (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Ec2Filter("tag:lab-portal:run", [first.RunId.ToString(CultureInfo.InvariantCulture)])] }))
            .Reservations!.SelectMany(r => r.Instances ?? []).Select(i => i.State!.Name!.Value).ToList();
        Assert.Equal(["running", "running"], instances);
        Assert.Equal(defaultRulesBefore, await RulesAsync(clients, defaultGroup));
    }

    [Fact]
    public async Task Target_group_and_load_balancer_found_by_name_without_the_run_tag_fail_their_steps_and_are_left_alone()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "OWNTG1");
        using var student = await Students.JoinAsync(factory, code, "Names Learner");
        await ForeignNamesAsync(factory, student, "Names Learner", async learnerId => await ClientsAsync(factory, learnerId));
    }

    [Fact]
    public async Task Security_group_of_the_run_made_before_a_crash_is_adopted_exactly_once()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "OWNSG3");
        using var student = await Students.JoinAsync(factory, code, "Crash Learner");
        await CrashAdoptionAsync(factory, student, "Crash Learner", learnerId => ClientsAsync(factory, learnerId));
    }

    /// <summary>What a crash right after CreateSecurityGroup leaves (the ledger's intent, the run's tagged group): the re-run adopts that group, once.</summary>
    internal static async Task CrashAdoptionAsync(PortalFactory factory, PortalClient student, string learnerName, Func<int, Task<AwsClients>> clientsFor)
    {
        var learnerId = await PortalState.UserIdAsync(factory, learnerName);
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "security-group");
        var clients = await clientsFor(learnerId);
        var vpcId = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Ec2Filter("is-default", ["true"])] })).Vpcs![0].VpcId!;
        var run = driver.RunId.ToString(CultureInfo.InvariantCulture);
        var made = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = "web-sg",
            Description = "Web servers: SSH and HTTP (LabPortal)",
            VpcId = vpcId,
            TagSpecifications = [new TagSpecification { ResourceType = "security-group", Tags = [new Tag("Name", "web-sg"), new Tag("lab-portal:run", run), new Tag("lab-portal:learner", learnerId.ToString(CultureInfo.InvariantCulture)), new Tag("lab-portal:lab", "alb-two-web-servers")] }],
        })).GroupId!;
        await PortalState.ReadAsync(factory, async db =>
        {
            db.Ledger.Add(new LedgerEntry { LabRunId = driver.RunId, Kind = ResourceKind.SecurityGroup, Name = "web-sg", Region = "ap-northeast-2", State = LedgerState.Intended, ClientToken = $"lp-{run}-securitygroup-web-sg" });
            return await db.SaveChangesAsync();
        });

        await driver.DoStepAsync(driver.Lab.Step("security-group")!);

        var entry = await PortalState.ReadAsync(factory, db => db.Ledger.SingleAsync(e => e.LabRunId == driver.RunId && e.Kind == ResourceKind.SecurityGroup));
        Assert.Equal((LedgerState.Created, made), (entry.State, entry.ResourceId));
        var named = (await clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Ec2Filter("group-name", ["web-sg"])] })).SecurityGroups!;
        Assert.Equal([made], named.Select(g => g.GroupId).ToList());
        Assert.Contains("tcp 80-80 0.0.0.0/0", await RulesAsync(clients, made));
    }

    /// <summary>
    /// A target group and a load balancer made by hand, untagged, with the names Lab 1's steps use: each
    /// step fails with the reason and leaves them as they were (no target registered, no listener added).
    /// </summary>
    internal static async Task ForeignNamesAsync(PortalFactory factory, PortalClient student, string learnerName, Func<int, Task<AwsClients>> clientsFor)
    {
        var learnerId = await PortalState.UserIdAsync(factory, learnerName);
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "target-group");
        var clients = await clientsFor(learnerId);
        var tgName = driver.Lab.Step("target-group")!.Parameters.Single(p => p.Name == "targetGroupName").Default!;
        var lbName = driver.Lab.Step("load-balancer")!.Parameters.Single(p => p.Name == "loadBalancerName").Default!;
        var vpcId = await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.OutputsJson).SingleAsync());
        var outputs = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(vpcId)!;
        var foreignTg = (await clients.Elbv2.CreateTargetGroupAsync(new LabPortal.Aws.Elbv2.CreateTargetGroupRequest { Name = tgName, Protocol = "HTTP", Port = 80, VpcId = outputs["vpcId"], TargetType = "instance" })).TargetGroups![0].TargetGroupArn!;
        var defaultGroup = (await clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Ec2Filter("group-name", ["default"]), new Ec2Filter("vpc-id", [outputs["vpcId"]])] })).SecurityGroups!.Single().GroupId!;
        var foreignLb = (await clients.Elbv2.CreateLoadBalancerAsync(new LabPortal.Aws.Elbv2.CreateLoadBalancerRequest
        {
            Name = lbName,
            Type = "application",
            Scheme = "internet-facing",
            Subnets = [outputs["subnet1Id"], outputs["subnet2Id"]],
            SecurityGroups = [defaultGroup],
        })).LoadBalancers![0].LoadBalancerArn!;

        Assert.True((await driver.Wizard.SubmitAsShownAsync(driver.RunId, "target-group")) is { Succeeded: true });
        var tgStep = await driver.WaitForStepAsync("target-group");
        Assert.Equal((StepRunStatus.Failed, "ResourceNotOwned"), (tgStep.Status, tgStep.ErrorCode));
        Assert.Contains($"A target group named {tgName} already exists in your account and was not made by this lab run: choose another name, or delete it", tgStep.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await clients.Elbv2.DescribeTargetHealthAsync(new LabPortal.Aws.Elbv2.DescribeTargetHealthRequest { TargetGroupArn = foreignTg })).TargetHealthDescriptions ?? []);

        driver.Overrides["target-group"] = new() { ["targetGroupName"] = tgName + "-2" };
        await driver.DoStepAsync(driver.Lab.Step("target-group")!);
        Assert.True((await driver.Wizard.SubmitAsShownAsync(driver.RunId, "load-balancer")) is { Succeeded: true });
        var lbStep = await driver.WaitForStepAsync("load-balancer");
        Assert.Equal((StepRunStatus.Failed, "ResourceNotOwned"), (lbStep.Status, lbStep.ErrorCode));
        Assert.Contains($"A load balancer named {lbName} already exists in your account and was not made by this lab run", lbStep.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await clients.Elbv2.DescribeListenersAsync(new LabPortal.Aws.Elbv2.DescribeListenersRequest { LoadBalancerArn = foreignLb })).Listeners ?? []);

        var ledger = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId).ToListAsync());
        Assert.DoesNotContain(ledger, e => e.ResourceId == foreignTg || e.ResourceId == foreignLb);
        Assert.DoesNotContain(ledger, e => e.Kind == ResourceKind.LoadBalancer);
        Assert.Equal([tgName + "-2"], ledger.Where(e => e.Kind == ResourceKind.TargetGroup).Select(e => e.Name).ToList());
    }

    private static async Task<AwsClients> ClientsAsync(PortalFactory factory, int learnerId)
    {
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        return cloud.SandboxClients(await cloud.SandboxAccountForUserAsync(learnerId), "ap-northeast-2");
    }

    private static Task<List<string>> LedgerIdsAsync(PortalFactory factory, int runId) =>
        PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == runId && e.ResourceId != null && e.State != LedgerState.Deleted).Select(e => e.ResourceId!).ToListAsync());

    internal static async Task<List<string>> RulesAsync(AwsClients clients, string groupId)
    {
        var group = (await clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [groupId] })).SecurityGroups![0];
        return [.. (group.IpPermissions ?? []).Concat(group.IpPermissionsEgress ?? [])
            .SelectMany(p => (p.Ipv4Ranges ?? []).Select(r => $"{p.IpProtocol} {p.FromPort}-{p.ToPort} {r.CidrIp}")
                .Concat((p.UserIdGroupPairs ?? []).Select(g => $"{p.IpProtocol} {p.FromPort}-{p.ToPort} {g.GroupId}")))
            .Order(StringComparer.Ordinal)];
    }
}
