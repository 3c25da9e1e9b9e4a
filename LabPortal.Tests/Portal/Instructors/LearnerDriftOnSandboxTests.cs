using Amazon.EC2.Model;
using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>The learner page describes the ledger's resources in the learner's sandbox account and says in words where it differs from the cloud.</summary>
[Trait("Category", "E2E")]
public sealed class LearnerDriftOnSandboxTests : IAsyncLifetime
{
    private const string Region = "ap-northeast-2";
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Ledger_is_shown_beside_the_cloud_with_gone_and_leftover_resources_marked()
    {
        var setup = await ClassSetup.CreateAsync(_factory, "DRIFT1", "Minji");
        var started = DateTime.UtcNow.AddMinutes(-15);
        var runId = await setup.AddRunAsync("Minji", "fixture-lab", started);
        string keptId, leftoverId;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var run = await db.LabRuns.SingleAsync(r => r.Id == runId);
            var clients = await scope.ServiceProvider.GetRequiredService<LearnerCloud>().ClientsForAsync(run, Region);
            var vpc = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter { Name = "is-default", Values = ["true"] }] })).Vpcs![0].VpcId;
            keptId = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "kept-sg", Description = "kept", VpcId = vpc })).GroupId!;
            leftoverId = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "leftover-sg", Description = "leftover", VpcId = vpc })).GroupId!;
            db.Ledger.AddRange(
                Entry(runId, "SecurityGroup", "kept-sg", keptId, LedgerState.Created, started, null),
                Entry(runId, "SecurityGroup", "leftover-sg", leftoverId, LedgerState.Deleted, started, started.AddMinutes(5)),
                Entry(runId, "Instance", "web-01", "i-0123456789abcdef0", LedgerState.Created, started, null),
                Entry(runId, "TargetGroup", "old-tg", $"arn:aws:elasticloadbalancing:{Region}:{run.CloudAccountId:D12}:targetgroup/old-tg/0123456789abcdef", LedgerState.Deleted, started, started.AddMinutes(5)));
            await db.SaveChangesAsync();
        }

        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (_, page) = await instructor.GetAsync($"/classes/{setup.ClassId}/learners/{setup.StudentId("Minji")}");

        var rows = page.QuerySelectorAll($"#run-{runId} .ledger-table tbody tr").ToDictionary(
            tr => tr.QuerySelector("td:nth-child(2)")!.TextContent.Trim(),
            tr => (Drift: tr.GetAttribute("data-drift"), Live: tr.QuerySelector(".live-state")!.TextContent.Trim()));
        Assert.Null(page.QuerySelector($"#run-{runId} .cloud-problem"));
        Assert.Equal((nameof(Drift.None), "exists"), rows["kept-sg"]);
        Assert.Equal((nameof(Drift.StillInCloud), "exists"), rows["leftover-sg"]);
        Assert.Equal((nameof(Drift.GoneFromCloud), "not found"), rows["web-01"]);
        Assert.Equal((nameof(Drift.None), "not found"), rows["old-tg"]);
        Assert.Equal("still in AWS, not in our records (recorded as deleted)", page.QuerySelector($"#run-{runId} tr[data-drift='StillInCloud'] .difference")!.TextContent.Trim());
        Assert.Equal("missing in AWS", page.QuerySelector($"#run-{runId} tr[data-drift='GoneFromCloud'] .difference")!.TextContent.Trim());
        Assert.DoesNotContain("Drift", page.QuerySelector($"#run-{runId}")!.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    private static LedgerEntry Entry(int runId, string kind, string name, string id, LedgerState state, DateTime completed, DateTime? deleted) => new()
    {
        LabRunId = runId,
        Kind = Enum.Parse<ResourceKind>(kind),
        Name = name,
        ResourceId = id,
        Region = Region,
        State = state,
        CreatedAtUtc = completed,
        CompletedAtUtc = completed,
        DeletedAtUtc = deleted,
    };
}
