using System.Net;
using Amazon.EC2.Model;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ec2Filter = Amazon.EC2.Model.Filter;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Issue 19's VPC building blocks on the portal's side, on the sandbox: a run whose ledger holds a VPC
/// of its own (two subnets, an attached internet gateway, a route table to it associated with both
/// subnets) with Lab 1's resources inside is torn down to verified zero; the sweeper finds a
/// lab-tagged stray VPC but never a main route table or the default VPC; ledger entries whose
/// network resources are already gone are tolerated.
/// </summary>
[Trait("Category", "E2E")]
public sealed class VpcTeardownTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Reset_tears_down_a_run_with_its_own_vpc_and_Lab1_inside_to_verified_zero()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var (classId, learnerId, account, clients) = await LearnerAsync(factory, "VPCTD1", "Vpc Learner");
        var run = await NewRunAsync(factory, learnerId, account.Id);
        var vpc = await OwnVpc.BuildAsync(clients, run, learnerId, withLab1: true);
        await WriteLedgerAsync(factory, run, vpc);
        var before = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        foreach (var type in new[] { "vpc", "subnet", "internet-gateway", "route-table", "security-group", "instance" })
        {
            Assert.Contains(before, r => r.ResourceType == type);
        }

        var progress = await ResetAsync(factory, classId, learnerId);

        Assert.True(progress.State == ResetState.Succeeded, progress.Detail);
        Assert.Equal(vpc.Created.Count, progress.ResourcesTotal);
        Assert.Equal(0, progress.ResourcesLeft);
        var left = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        var vpcs = await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Ec2Filter("vpc-id", [vpc.VpcId])] });
        Assert.Empty(vpcs.Vpcs ?? []);
        var audit = await PortalState.ReadAsync(factory, db => db.Audit.Where(a => a.LabRunId == run && a.Action == AuditActions.Teardown).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditLog.Started, AuditLog.Succeeded], audit.Select(a => a.Outcome));
        Assert.Contains("Verification scan: nothing left.", audit[1].Detail, StringComparison.Ordinal);
        Assert.Equal(LabRunStatus.TornDown, await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == run).Select(r => r.Status).SingleAsync()));
    }

    [Fact]
    public async Task Sweeper_finds_a_lab_tagged_stray_vpc_and_its_parts_but_never_a_main_route_table_or_the_default_vpc()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var (classId, learnerId, account, clients) = await LearnerAsync(factory, "VPCSW1", "Stray Vpc Learner");
        var run = await NewRunAsync(factory, learnerId, account.Id);
        // Made outside the portal with the lab's tags: the ledger knows none of it, and the run its tag
        // names is torn down (a live run's tag would make it that run's, never offered: issue 13).
        var stray = await OwnVpc.BuildAsync(clients, run, learnerId, withLab1: false);
        await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == run).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, LabRunStatus.TornDown)));
        // Tags on the main route table and the default VPC do not make them a lab's.
        var defaultVpc = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Ec2Filter("is-default", ["true"])] })).Vpcs![0].VpcId!;
        await clients.Ec2.CreateTagsAsync(new CreateTagsRequest
        {
            Resources = [stray.MainRouteTableId, defaultVpc],
            Tags = [new Amazon.EC2.Model.Tag("lab-portal:run", run.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        });

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (response, page) = await instructor.GetAsync($"/classes/{classId}/orphans");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = page.QuerySelectorAll("#orphans tr[data-resource]").Select(r => (Kind: r.GetAttribute("data-kind"), Id: r.GetAttribute("data-resource"))).ToHashSet();
        Assert.All(page.QuerySelectorAll("#orphans tr[data-resource]"), r => Assert.Equal("RunTornDown", r.GetAttribute("data-reason")));
        var expected = stray.Created.Select(c => ((string?)c.Kind.ToString(), (string?)c.Id)).ToHashSet();
        Assert.Equal(expected, listed);
        Assert.DoesNotContain(stray.MainRouteTableId, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(defaultVpc, page.Body!.TextContent, StringComparison.Ordinal);

        // Deleted from the sweeper, route table (with its associations) first and the VPC last: nothing is left.
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        foreach (var (kind, id) in stray.Created.Reverse())
        {
            var deleted = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/delete", token, new Dictionary<string, string>
            {
                ["userId"] = learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["kind"] = kind.ToString(),
                ["resourceId"] = id,
                ["confirm"] = "true",
            });
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            var (_, after) = await instructor.GetAsync(deleted.Headers.Location!.OriginalString);
            Assert.True(after.QuerySelector("#orphan-status")!.TextContent.Contains("Deleted", StringComparison.Ordinal), $"{kind} {id}: {after.QuerySelector("#orphan-status")!.TextContent}");
        }

        var left = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        Assert.Single((await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [defaultVpc] })).Vpcs ?? []);
    }

    [Fact]
    public async Task Teardown_counts_network_resources_already_gone_as_deleted()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var (classId, learnerId, account, clients) = await LearnerAsync(factory, "VPCGN1", "Gone Vpc Learner");
        var run = await NewRunAsync(factory, learnerId, account.Id);
        var vpc = await OwnVpc.BuildAsync(clients, run, learnerId, withLab1: false);
        // Behind the portal's back: the route table's associations and the table, the gateway's attachment, one subnet.
        var table = (await clients.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [vpc.RouteTableId] })).RouteTables![0];
        foreach (var association in table.Associations!)
        {
            await clients.Ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = association.RouteTableAssociationId });
        }

        await clients.Ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = vpc.RouteTableId });
        await clients.Ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = vpc.GatewayId, VpcId = vpc.VpcId });
        await clients.Ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = vpc.SubnetIds[0] });
        await WriteLedgerAsync(factory, run, vpc, extra:
        [
            // Ids of the right shape that never existed in this account.
            (ResourceKind.Vpc, "vpc-0123456789abcdef0"),
            (ResourceKind.Subnet, "subnet-0123456789abcdef0"),
            (ResourceKind.InternetGateway, "igw-0123456789abcdef0"),
            (ResourceKind.RouteTable, "rtb-0123456789abcdef0"),
        ]);

        var progress = await ResetAsync(factory, classId, learnerId);

        Assert.True(progress.State == ResetState.Succeeded, progress.Detail);
        Assert.Equal(vpc.Created.Count + 4, progress.ResourcesTotal);
        Assert.Equal(0, progress.ResourcesLeft);
        Assert.All(await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == run).ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
        var left = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    private static async Task<(int ClassId, int LearnerId, CloudAccount Account, AwsClients Clients)> LearnerAsync(PortalFactory factory, string code, string name)
    {
        await Students.CreateClassAsync(factory, code);
        var classId = await PortalState.ClassIdAsync(factory, code);
        using var student = await Students.JoinAsync(factory, code, name);
        var learnerId = await PortalState.UserIdAsync(factory, name);
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var account = await cloud.SandboxAccountForUserAsync(learnerId);
        return (classId, learnerId, account, cloud.SandboxClients(account, OwnVpc.Region));
    }

    private static async Task<int> NewRunAsync(PortalFactory factory, int learnerId, int accountRowId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = DateTime.UtcNow;
        var run = new LabRun { UserId = learnerId, LabId = "alb-two-web-servers", Status = LabRunStatus.Active, NamePrefix = "lpvpc", StartedAtUtc = now, LastActivityAtUtc = now, CloudAccountId = accountRowId };
        db.LabRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static async Task WriteLedgerAsync(PortalFactory factory, int runId, OwnVpc vpc, IEnumerable<(ResourceKind Kind, string Id)>? extra = null)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var run = await db.LabRuns.SingleAsync(r => r.Id == runId);
        var now = DateTime.UtcNow;
        foreach (var entry in vpc.Ledger(now))
        {
            run.Ledger.Add(entry);
        }

        foreach (var (kind, id) in extra ?? [])
        {
            run.Ledger.Add(new LedgerEntry { Kind = kind, Name = id, ResourceId = id, Region = OwnVpc.Region, State = LedgerState.Created, CreatedAtUtc = now });
        }

        await db.SaveChangesAsync();
    }

    private static async Task<RunResetProgress> ResetAsync(PortalFactory factory, int classId, int learnerId)
    {
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        Assert.Equal(HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode);
        var report = await PortalState.WaitForAsync(factory, async d => await new ResetProgress(d).ForLearnerAsync(classId, learnerId), r => r.RunsTotal > 0 && r.Finished, "the reset", seconds: 180);
        return Assert.Single(report.Runs);
    }
}
