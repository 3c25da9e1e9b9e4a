using System.Globalization;
using System.Net;
using Amazon.EC2.Model;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// The AWS code paths (<c>Cloud:Mode=Aws</c>, one shared account) against moto: the sweeper filters by
/// the students' <c>lab-portal:learner</c> tags and the reset's verification scan by the run's tag.
/// </summary>
[Trait("Category", "Moto")]
public sealed class CleanupOnMotoTests
{
    [Fact]
    public async Task On_a_shared_account_the_sweeper_finds_a_tagged_stranger_and_the_reset_verifies_by_run_tag()
    {
        await using var portal = await MotoPortal.StartAsync();
        var factory = portal.Factory;
        var code = await Students.CreateClassAsync(factory, "MOTO01");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var student = await Students.JoinAsync(factory, code, "Moto Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Moto Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "open-instances");

        // An instance of this learner's that no run of theirs made (another run tag), and one of nobody in the class.
        using var scope = factory.Services.CreateScope();
        var clients = scope.ServiceProvider.GetRequiredService<LearnerCloud>().SharedAccountClients("ap-northeast-2");
        var labInstance = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.Kind == ResourceKind.Instance).Select(e => e.ResourceId!).FirstAsync());
        var image = (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [labInstance] })).Reservations![0].Instances![0].ImageId!;
        async Task<string> LaunchAsync(string learnerTag) => (await clients.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = image,
            InstanceType = "t3.micro",
            MinCount = 1,
            MaxCount = 1,
            TagSpecifications = [new TagSpecification { ResourceType = "instance", Tags = [new Tag { Key = "lab-portal:run", Value = "999999" }, new Tag { Key = "lab-portal:learner", Value = learnerTag }] }],
        })).Reservation.Instances![0].InstanceId!;
        var stray = await LaunchAsync(learnerId.ToString(CultureInfo.InvariantCulture));
        var elsewhere = await LaunchAsync("424242");

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (response, page) = await instructor.GetAsync($"/classes/{classId}/orphans");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = page.QuerySelectorAll("#orphans tr[data-resource]").Select(r => r.GetAttribute("data-resource")).ToList();
        Assert.Equal([stray], listed);
        Assert.NotNull(page.QuerySelector("#no-vanished"));
        Assert.DoesNotContain(elsewhere, page.Body!.TextContent, StringComparison.Ordinal);

        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        Assert.Equal(HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode);
        var report = await PortalState.WaitForAsync(factory, async db => await new ResetProgress(db).ForLearnerAsync(classId, learnerId), r => r.RunsTotal > 0 && r.Finished, "the reset", seconds: 120);
        var run = Assert.Single(report.Runs);
        Assert.True(run.State == ResetState.Succeeded, run.Detail);
        Assert.Equal(0, run.ResourcesLeft);
        var states = (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter { Name = "tag:lab-portal:run", Values = [driver.RunId.ToString(CultureInfo.InvariantCulture)] }] }))
            .Reservations!.SelectMany(r => r.Instances ?? []).Select(i => i.State!.Name).ToList();
        Assert.All(states, s => Assert.Equal("terminated", s));
        Assert.Equal(LabRunStatus.TornDown, await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.Status).SingleAsync()));
    }
}
