using System.Globalization;
using System.Net;
using Amazon.EC2.Model;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Ec2Filter = Amazon.EC2.Model.Filter;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// The VPC building blocks on the AWS code paths (<c>Cloud:Mode=Aws</c>, one shared account) against
/// moto: a run's own VPC with Lab 1 inside is torn down and verified by the run's tag, and the sweeper
/// finds a stray lab-tagged VPC of a learner's (filtered by the <c>lab-portal:learner</c> tag).
/// </summary>
[Trait("Category", "Moto")]
public sealed class VpcTeardownOnMotoTests
{
    [Fact]
    public async Task On_a_shared_account_a_run_with_its_own_vpc_is_torn_down_and_a_stray_vpc_is_offered_by_the_sweeper()
    {
        await using var portal = await MotoPortal.StartAsync();
        var factory = portal.Factory;
        var code = await Students.CreateClassAsync(factory, "MOTOV1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        using var student = await Students.JoinAsync(factory, code, "Moto Vpc Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Moto Vpc Learner");
        using var scope = factory.Services.CreateScope();
        var clients = scope.ServiceProvider.GetRequiredService<LearnerCloud>().SharedAccountClients(OwnVpc.Region);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = DateTime.UtcNow;
        var run = new LabRun { UserId = learnerId, LabId = "alb-two-web-servers", Status = LabRunStatus.Active, NamePrefix = "lpmotovpc", StartedAtUtc = now, LastActivityAtUtc = now };
        db.LabRuns.Add(run);
        await db.SaveChangesAsync();
        var owned = await OwnVpc.BuildAsync(clients, run.Id, learnerId, withLab1: true);
        foreach (var entry in owned.Ledger(now))
        {
            run.Ledger.Add(entry);
        }

        await db.SaveChangesAsync();
        // A stray VPC carrying the learner's tags and a run tag no run of the portal has.
        var stray = await OwnVpc.BuildAsync(clients, 999999, learnerId, withLab1: false, cidrPrefix: "10.30");

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (response, page) = await instructor.GetAsync($"/classes/{classId}/orphans");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = page.QuerySelectorAll("#orphans tbody tr").Select(r => (r.GetAttribute("data-kind"), r.GetAttribute("data-resource"))).ToHashSet();
        Assert.Equal(stray.Created.Select(c => ((string?)c.Kind.ToString(), (string?)c.Id)).ToHashSet(), listed);

        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        Assert.Equal(HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode);
        var report = await PortalState.WaitForAsync(factory, async d => await new ResetProgress(d).ForLearnerAsync(classId, learnerId), r => r.RunsTotal > 0 && r.Finished, "the reset", seconds: 180);
        var progress = Assert.Single(report.Runs);
        Assert.True(progress.State == ResetState.Succeeded, progress.Detail);
        Assert.Equal(owned.Created.Count, progress.ResourcesTotal);
        Assert.Equal(0, progress.ResourcesLeft);
        var runTag = new Ec2Filter("tag:lab-portal:run", [run.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Empty((await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [runTag] })).Vpcs ?? []);
        Assert.Empty((await clients.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [runTag] })).Subnets ?? []);
        Assert.Empty((await clients.Ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = [runTag] })).InternetGateways ?? []);
        Assert.Empty((await clients.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [runTag] })).RouteTables ?? []);
        // The stray VPC was the sweeper's to offer, not the reset's to delete.
        Assert.Single((await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [stray.VpcId] })).Vpcs ?? []);
    }
}
