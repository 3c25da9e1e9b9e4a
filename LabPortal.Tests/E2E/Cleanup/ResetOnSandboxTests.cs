using System.Net;
using LabPortal.Features.Cleanup;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>Instructor resets on the sandbox at a high time scale: nothing left behind, and a reset survives a stop.</summary>
[Trait("Category", "E2E")]
public sealed class ResetOnSandboxTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Each shipped lab, run to its end (all but its teardown step), then reset by the instructor,
    /// with and without dropping the learner's sandbox account. Add a lab here with one line.
    /// </summary>
    [Theory]
    [InlineData("alb-two-web-servers", false)]
    [InlineData("alb-two-web-servers", true)]
    [InlineData("asg-behind-alb", false)]
    [InlineData("asg-behind-alb", true)]
    public async Task Learner_reset_of_a_finished_lab_leaves_nothing_the_verification_scan_can_find(string labId, bool dropAccount)
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?>
        {
            ["Cleanup:DropSandboxAccountOnReset"] = dropAccount ? "true" : "false",
        }));
        var code = await Students.CreateClassAsync(factory, "RESET1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var student = await Students.JoinAsync(factory, code, "Reset Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Reset Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, labId);
        await driver.FinishAllButTeardownAsync();
        var account = await PortalState.ReadAsync(factory, db => db.CloudAccounts.SingleAsync(a => a.UserId == learnerId));
        var accounts = factory.Services.GetRequiredService<ISandboxAccounts>();
        Assert.NotEmpty(await accounts.ListResourcesAsync(account.AccountId));

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var response = await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"/classes/{classId}/dashboard?reset=learner", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var report = await WaitForResetAsync(factory, classId, learnerId);
        var run = Assert.Single(report.Runs);
        Assert.True(run.State == ResetState.Succeeded, run.Detail);
        Assert.Equal(0, run.ResourcesLeft);
        Assert.True(run.ResourcesTotal > 0);
        var left = await accounts.ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        var labRun = await PortalState.ReadAsync(factory, db => db.LabRuns.SingleAsync(r => r.Id == driver.RunId));
        Assert.Equal(LabRunStatus.TornDown, labRun.Status);
        Assert.Equal(TeardownReason.Reset, labRun.TeardownReason);
        var audit = await PortalState.ReadAsync(factory, db => db.Audit.OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome + ":" + a.ActorUserId).ToListAsync());
        var instructorId = await PortalState.ReadAsync(factory, db => db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync());
        Assert.Equal(
            dropAccount
                ? [$"reset-learner:started:{instructorId}", $"teardown:started:{instructorId}", $"sandbox-account-dropped:succeeded:{instructorId}", $"teardown:succeeded:{instructorId}"]
                : [$"reset-learner:started:{instructorId}", $"teardown:started:{instructorId}", $"teardown:succeeded:{instructorId}"],
            audit);
        Assert.Equal(dropAccount, await PortalState.ReadAsync(factory, db => db.CloudAccounts.Where(a => a.Id == account.Id).Select(a => a.DeletedAtUtc != null).SingleAsync()));
        Assert.Equal(dropAccount, (await accounts.FindAccountAsync(account.AccountId)) is null);

        // The learner's page says what happened instead of a timer, and the torn-down run takes no more actions.
        var (_, page) = await student.GetAsync($"{driver.RunUrl}/steps/{labRun.CurrentStepId}");
        Assert.NotNull(page.QuerySelector("#cleanup-done"));
        var firstAction = driver.Lab.Steps.First(s => s.Kind == LabPortal.Features.Labs.Definitions.StepKind.Action).Id;
        var blocked = await driver.Wizard.SubmitAsShownAsync(driver.RunId, firstAction);
        Assert.False(blocked!.Succeeded);
        Assert.Contains("torn down", blocked.Errors[""], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Class_reset_tears_every_learner_down_at_most_two_at_a_time_and_leaves_nothing()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?>
        {
            ["Cleanup:MaxParallelTeardowns"] = "2",
        }));
        var code = await Students.CreateClassAsync(factory, "CLASS1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var names = Enumerable.Range(1, 4).Select(i => $"Class Learner {i}").ToList();
        await Task.WhenAll(names.Select(async name =>
        {
            var student = await Students.JoinAsync(factory, code, name);
            var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
            await driver.FinishAllButTeardownAsync(stopBefore: "open-instances");
        }));

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var response = await PortalState.ResetAsync(instructor, $"/classes/{classId}/reset", token);
        Assert.Equal($"/classes/{classId}/dashboard?reset=class&runs=4", response.Headers.Location!.OriginalString);

        var report = await PortalState.WaitForAsync(factory, async db => await new ResetProgress(db).ForClassAsync(classId), r => r.RunsTotal == 4 && r.Finished, "the class reset", seconds: 120);
        Assert.All(report.Runs, r => Assert.True(r.State == ResetState.Succeeded, r.Detail));
        Assert.Equal(0, report.ResourcesLeft);
        Assert.Equal(100, report.Percent);
        var slots = factory.Services.GetRequiredService<TeardownSlots>();
        Assert.InRange(slots.Peak, 1, 2);
        var accounts = factory.Services.GetRequiredService<ISandboxAccounts>();
        foreach (var account in await PortalState.ReadAsync(factory, db => db.CloudAccounts.ToListAsync()))
        {
            Assert.Empty(await accounts.ListResourcesAsync(account.AccountId));
        }

        // The instructor's dashboard says how it ended (the bar is gone once the reset finished), and every learner's run is torn down.
        var (_, dashboard) = await instructor.GetAsync($"/classes/{classId}/dashboard");
        Assert.Null(dashboard.QuerySelector("#reset-progress"));
        Assert.Equal("all-gone", dashboard.QuerySelector("#reset-outcome")!.GetAttribute("data-outcome"));
        Assert.Contains("all gone. 4 run(s) torn down and the verification scan found nothing left", dashboard.QuerySelector("#reset-outcome")!.TextContent, StringComparison.Ordinal);
        var learnerIds = await PortalState.ReadAsync(factory, db => db.Users.Where(u => names.Contains(u.DisplayName)).Select(u => u.Id).ToListAsync());
        Assert.All(learnerIds, id => Assert.Equal(["TornDown"], Portal.Instructors.DashboardHtml.Cells(dashboard, "alb-two-web-servers", id).Values.Select(c => c.State).Distinct()));
    }

    [Fact]
    public async Task Portal_stopped_in_the_middle_of_a_reset_resumes_and_finishes_it_after_a_restart()
    {
        // The sandbox outlives the portal, as a cloud does; slow enough that termination takes seconds.
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Enabled = true,
            ApiPort = 0,
            DataPlanePort = 0,
            TimeScale = 4,
            DataDirectory = Path.Combine(_data.Path, "outside-sandbox"),
            AllowPlaygroundCredentials = true,
        });
        var settings = new Dictionary<string, string?>
        {
            ["Labs:Directory"] = Lab1Flow.ShippedLabs,
            ["Sandbox:Enabled"] = "false",
            ["Cleanup:Interval"] = "00:00:01",
        };
        void UseOutsideSandbox(IServiceCollection services)
        {
            services.RemoveAll<ISandboxAccounts>();
            services.AddSingleton(sandbox.Accounts);
            services.RemoveAll<SandboxEndpoints>();
            services.AddSingleton(sandbox.Endpoints);
        }

        int classId, learnerId, runId;
        string accountId;
        var first = new PortalFactory(_data.Path, settings, UseOutsideSandbox);
        try
        {
            var code = await Students.CreateClassAsync(first, "RESTART");
            classId = await PortalState.ClassIdAsync(first, code);
            var student = await Students.JoinAsync(first, code, "Restart Learner");
            learnerId = await PortalState.UserIdAsync(first, "Restart Learner");
            var driver = await LabDriver.StartAsync(first, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
            runId = driver.RunId;
            await driver.FinishAllButTeardownAsync(stopBefore: "open-instances");
            var account = await PortalState.ReadAsync(first, db => db.CloudAccounts.SingleAsync(a => a.UserId == learnerId));
            accountId = account.AccountId;

            using var instructor = first.CreatePortalClient();
            await instructor.SignInAsInstructorAsync();
            var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
            Assert.Equal(HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode);

            // Stop the portal while the teardown waits for the instances to terminate.
            using var scope = first.Services.CreateScope();
            var clients = scope.ServiceProvider.GetRequiredService<LearnerCloud>().SandboxClients(account, "ap-northeast-2");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var described = await clients.Ec2.DescribeInstancesAsync(new Amazon.EC2.Model.DescribeInstancesRequest());
                if ((described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Any(i => i.State?.Name == "shutting-down"))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "The reset never started terminating the instances.");
                await Task.Delay(50);
            }
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Stopped in the middle: the run is still being torn down and the ledger still lists resources.
        // Read straight from the database, without starting a portal (which would resume at once).
        await using (var db = TestDatabase.Open(_data.Path))
        {
            Assert.Equal(LabRunStatus.TearingDown, await db.LabRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync());
            Assert.True(await db.Ledger.AnyAsync(e => e.LabRunId == runId && e.State != LedgerState.Deleted), "The reset had already deleted everything before the stop: the test proves nothing.");
        }

        await using var second = new PortalFactory(_data.Path, settings, UseOutsideSandbox);
        var report = await WaitForResetAsync(second, classId, learnerId);
        var run = Assert.Single(report.Runs);
        Assert.True(run.State == ResetState.Succeeded, run.Detail);
        Assert.Equal(0, run.ResourcesLeft);
        Assert.Equal(LabRunStatus.TornDown, await PortalState.ReadAsync(second, db => db.LabRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync()));
        var left = await sandbox.Accounts.ListResourcesAsync(accountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
        Assert.Equal(1, await PortalState.ReadAsync(second, db => db.Audit.CountAsync(a => a.LabRunId == runId && a.Action == AuditActions.Teardown && a.Outcome == AuditLog.Started)));
    }

    private static Task<ResetProgressReport> WaitForResetAsync(PortalFactory factory, int classId, int learnerId) =>
        PortalState.WaitForAsync(
            factory,
            async db => await new ResetProgress(db).ForLearnerAsync(classId, learnerId),
            r => r.RunsTotal > 0 && r.Finished,
            "the reset to finish",
            seconds: 120);
}
