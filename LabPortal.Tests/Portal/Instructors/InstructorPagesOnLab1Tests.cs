using Amazon.EC2.Model;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>A student runs Lab 1's first steps on the sandbox; the instructor's dashboard and learner page show the real ledger and cloud.</summary>
[Trait("Category", "E2E")]
public sealed class InstructorPagesOnLab1Tests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Dashboard_and_learner_page_follow_the_students_steps_and_mark_a_stopped_instance()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Lab Student");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));
        int classId, studentId, runId;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            classId = await db.Classrooms.Select(c => c.Id).SingleAsync();
            studentId = await db.Users.Where(u => u.DisplayName == "Lab Student").Select(u => u.Id).SingleAsync();
            runId = await db.LabRuns.Select(r => r.Id).SingleAsync();
        }

        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (_, dashboard) = await instructor.GetAsync($"/classes/{classId}/dashboard");

        var cells = DashboardHtml.Cells(dashboard, "alb-two-web-servers", studentId).ToDictionary(c => c.Key, c => c.Value.State);
        Assert.Equal("Succeeded", cells["concepts"]);
        Assert.Equal("Succeeded", cells["security-group"]);
        Assert.Equal("Succeeded", cells["instances"]);
        Assert.Equal("NotStarted", cells["target-group"]);
        var run = DashboardHtml.RunRow(dashboard, runId);
        Assert.Equal("3", run.QuerySelector(".run-resources")!.TextContent.Trim());
        Assert.NotEqual("$0.0000", run.QuerySelector(".run-cost")!.TextContent.Trim());

        var (_, learner) = await instructor.GetAsync($"/classes/{classId}/learners/{studentId}");
        var rows = learner.QuerySelectorAll($"#run-{runId} .ledger-table tbody tr").ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("None", r.GetAttribute("data-drift")));
        Assert.Equal(["running", "running"], rows.Where(r => r.GetAttribute("data-kind") == "Instance").Select(r => r.QuerySelector(".live-state")!.TextContent.Trim()));
        // Request ids stay behind their toggle (LearnerRunViewTests opens it).
        Assert.Null(learner.QuerySelector($"#run-{runId} .steps-table .request-ids"));

        // Someone stops one server behind the portal's back: the learner page marks it.
        var stopped = (await flow.LedgerAsync()).First(e => e.Kind == ResourceKind.Instance).ResourceId!;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var clients = await scope.ServiceProvider.GetRequiredService<LearnerCloud>().ClientsForAsync(await db.LabRuns.SingleAsync(), "ap-northeast-2");
            await clients.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [stopped] });
        }

        var (_, after) = await instructor.GetAsync($"/classes/{classId}/learners/{studentId}");
        var marked = after.QuerySelector($"#run-{runId} .ledger-table tr[data-kind='Instance'][data-drift='StateDiffers']")!;
        Assert.Equal(stopped, marked.QuerySelector(".lp-id")!.TextContent.Trim());
        Assert.StartsWith("in AWS, but ", marked.QuerySelector(".difference")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(marked.QuerySelector(".live-state")!.TextContent.Trim(), new[] { "stopping", "stopped" });
    }
}
