using System.Globalization;
using System.Net;
using Amazon.EC2.Model;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using DescribeAutoScalingGroupsRequest = LabPortal.Aws.AutoScaling.DescribeAutoScalingGroupsRequest;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Issue 13, the sweeper: a live Lab 2 run's Auto Scaling instances (never in the ledger by id, but
/// members of the run's group) are never offered; a stray instance no run made is, with the reason,
/// and is deleted only with the confirmation. On the sandbox (the learner's own account, every
/// resource looked at) and on moto (<c>Cloud:Mode=Aws</c>, one shared account, by learner tag).
/// </summary>
[Trait("Category", "E2E")]
public sealed class SweeperOwnershipTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Sweeper_offers_only_the_stray_instance_beside_a_live_Lab_2_group_of_three_and_deletes_it_only_when_confirmed()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        await OffersOnlyTheStrayAsync(factory, "SWOWN1", async learnerId =>
        {
            using var scope = factory.Services.CreateScope();
            var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
            return cloud.SandboxClients(await cloud.SandboxAccountForUserAsync(learnerId), "ap-northeast-2");
        }, strayTags: _ => []);
    }

    /// <summary>
    /// Lab 2 up to the scaled group (3 instances), then a stray instance launched by hand with
    /// the tags <paramref name="strayTags"/> gives for the learner's id: the page offers it alone, says why, and deletes it only after the
    /// confirmation; the group's instances stay.
    /// </summary>
    internal static async Task OffersOnlyTheStrayAsync(PortalFactory factory, string classCode, Func<int, Task<AwsClients>> clientsFor, Func<int, IReadOnlyList<Tag>> strayTags)
    {
        var code = await Students.CreateClassAsync(factory, classCode);
        var classId = await PortalState.ClassIdAsync(factory, code);
        using var student = await Students.JoinAsync(factory, code, "Scaled Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Scaled Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "asg-behind-alb");
        await driver.FinishAllButTeardownAsync(stopBefore: "attach");
        var clients = await clientsFor(learnerId);
        var tags = strayTags(learnerId);

        var groupName = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId && e.Kind == ResourceKind.AutoScalingGroup).Select(e => e.ResourceId!).SingleAsync());
        var group = (await clients.AutoScaling.DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [groupName] })).AutoScalingGroups![0];
        var members = (group.Instances ?? []).Select(i => i.InstanceId!).ToList();
        Assert.Equal(3, members.Count);
        var image = (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [members[0]] })).Reservations![0].Instances![0].ImageId!;
        var stray = (await clients.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = image,
            InstanceType = "t3.micro",
            MinCount = 1,
            MaxCount = 1,
            TagSpecifications = tags.Count == 0 ? null! : [new TagSpecification { ResourceType = "instance", Tags = [.. tags] }],
        })).Reservation.Instances![0].InstanceId!;

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (response, page) = await instructor.GetAsync($"/classes/{classId}/orphans");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var offered = page.QuerySelectorAll("#orphans tr[data-resource]").ToList();
        Assert.Equal([stray], offered.Select(r => r.GetAttribute("data-resource")).ToList());
        Assert.Equal("NoRun", offered[0].GetAttribute("data-reason"));
        Assert.Contains("No run of the portal made it", offered[0].TextContent, StringComparison.Ordinal);
        Assert.All(members, id => Assert.DoesNotContain(id, page.QuerySelector("#orphans")!.TextContent, StringComparison.Ordinal));

        // Not confirmed: nothing is deleted.
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var fields = new Dictionary<string, string> { ["userId"] = learnerId.ToString(CultureInfo.InvariantCulture), ["kind"] = "Instance", ["resourceId"] = stray };
        var unconfirmed = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/delete", token, fields);
        Assert.Contains("status=failed", unconfirmed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // Still alive (just launched, it may not have reached running yet on a busy machine).
        Assert.Contains(await StateAsync(clients, stray), new[] { "pending", "running" });
        Assert.Equal(0, await PortalState.ReadAsync(factory, db => db.Audit.CountAsync(a => a.Action == AuditActions.OrphanDeleted)));

        // A member of the run's group is refused even when asked for by hand (a fresh scan decides).
        var member = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/delete", token, new Dictionary<string, string>(fields) { ["resourceId"] = members[0], ["confirm"] = "true" });
        Assert.Contains("status=failed", member.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Confirmed: the stray goes, the group's three stay.
        var confirmed = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/delete", token, new Dictionary<string, string>(fields) { ["confirm"] = "true" });
        Assert.Contains("status=deleted", confirmed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains(await StateAsync(clients, stray), new[] { "shutting-down", "terminated" });
        foreach (var id in members)
        {
            Assert.Equal("running", await StateAsync(clients, id));
        }

        var audit = await PortalState.ReadAsync(factory, db => db.Audit.SingleAsync(a => a.Action == AuditActions.OrphanDeleted));
        Assert.Equal(AuditLog.Succeeded, audit.Outcome);
        Assert.Contains(stray, audit.Detail, StringComparison.Ordinal);
    }

    private static async Task<string> StateAsync(AwsClients clients, string instanceId) =>
        (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] })).Reservations![0].Instances![0].State!.Name!.Value;
}
