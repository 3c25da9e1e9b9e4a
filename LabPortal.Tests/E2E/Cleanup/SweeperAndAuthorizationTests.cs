using System.Net;
using LabPortal.Infrastructure.Audit;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>The orphan sweeper on the sandbox, and who may reset and sweep.</summary>
[Trait("Category", "E2E")]
public class SweeperAndAuthorizationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public SweeperAndAuthorizationTests()
        : this(TestDatabase.Default)
    {
    }

    /// <summary>On <paramref name="database"/>, whatever the run's default (<see cref="SweeperAndAuthorizationOnPostgreSqlTests"/>).</summary>
    protected SweeperAndAuthorizationTests(TestDatabaseProvider database)
    {
        TestDatabase.Use(_data.Path, database);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Instance_made_out_of_band_by_no_run_is_found_by_the_sweeper_and_deleted_when_confirmed()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "SWEEP1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var student = await Students.JoinAsync(factory, code, "Sweep Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Sweep Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "instances");
        var groupId = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId && e.Kind == ResourceKind.SecurityGroup).Select(e => e.ResourceId!).SingleAsync());

        // With the AWS CLI and the keys the CLI access page gives the learner: an instance no run made.
        var (_, cliPage) = await student.GetAsync("/cli-access");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = cliPage.QuerySelector("#cli-access-key")!.TextContent.Trim(),
            ["AWS_SECRET_ACCESS_KEY"] = cliPage.QuerySelector("#cli-secret-key")!.TextContent.Trim(),
            ["AWS_DEFAULT_REGION"] = "ap-northeast-2",
        };
        var endpoint = cliPage.QuerySelector("#cli-endpoint")!.TextContent.Trim();
        var (imageExit, image) = await Cli.RunAsync(environment, "aws", "--endpoint-url", endpoint, "ec2", "describe-images", "--owners", "amazon",
            "--filters", "Name=name,Values=al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", "--query", "Images[0].ImageId", "--output", "text");
        Assert.True(imageExit == 0, image);
        var tags = "ResourceType=instance,Tags=[{Key=Name,Value=by-hand}]";
        var (runExit, launched) = await Cli.RunAsync(environment, "aws", "--endpoint-url", endpoint, "ec2", "run-instances", "--image-id", image.Trim(), "--instance-type", "t3.micro",
            "--tag-specifications", tags, "--query", "Instances[0].InstanceId", "--output", "text");
        Assert.True(runExit == 0, launched);
        var instanceId = launched.Trim();
        // And the lab's security group deleted behind the portal's back: its ledger entry now points at nothing.
        var (deleteExit, deleteOutput) = await Cli.RunAsync(environment, "aws", "--endpoint-url", endpoint, "ec2", "delete-security-group", "--group-id", groupId);
        Assert.True(deleteExit == 0, deleteOutput);

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (response, page) = await instructor.GetAsync($"/classes/{classId}/orphans");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = page.QuerySelector($"#orphans tr[data-resource='{instanceId}']");
        Assert.NotNull(row);
        Assert.Equal("Instance", row.GetAttribute("data-kind"));
        Assert.Equal("NoRun", row.GetAttribute("data-reason"));
        Assert.Contains("Sweep Learner", page.QuerySelector($"#orphans [data-learner='{learnerId}'] .learner-group")!.TextContent, StringComparison.Ordinal);
        Assert.Single(page.QuerySelectorAll("#orphans tr[data-resource]"));
        Assert.NotNull(page.QuerySelector($"#vanished tr[data-resource='{groupId}']"));

        // The page's bulk action confirms in a dialog (see OrphanListTests); its form-post twin must say it was confirmed.
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var deleted = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/delete", token, new Dictionary<string, string>
        {
            ["userId"] = learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["kind"] = "Instance",
            ["resourceId"] = instanceId,
            ["confirm"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var (_, after) = await instructor.GetAsync(deleted.Headers.Location!.OriginalString);
        Assert.Contains("Deleted", after.QuerySelector("#orphan-status")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(after.QuerySelector("#no-orphans"));
        var audit = await PortalState.ReadAsync(factory, db => db.Audit.SingleAsync(a => a.Action == AuditActions.OrphanDeleted));
        Assert.Equal(AuditLog.Succeeded, audit.Outcome);
        Assert.Equal(classId, audit.ClassroomId);
        Assert.Contains(instanceId, audit.Detail, StringComparison.Ordinal);

        var entryId = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.ResourceId == groupId).Select(e => e.Id).SingleAsync());
        var forgotten = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/forget", token, new Dictionary<string, string> { ["entryId"] = entryId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, forgotten.StatusCode);
        Assert.Equal(LedgerState.Deleted, await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.ResourceId == groupId).Select(e => e.State).SingleAsync()));

        // A Korean-speaking instructor reads the outcome in Korean (the audit keeps English).
        instructor.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ko");
        var koToken = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var missing = await PortalState.PostAsync(instructor, $"/classes/{classId}/orphans/forget", koToken, new Dictionary<string, string> { ["entryId"] = "999999" });
        var (_, korean) = await instructor.GetAsync(missing.Headers.Location!.OriginalString);
        Assert.Contains("그런 장부 항목이 없습니다", korean.QuerySelector("#orphan-status")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_classes_instructor_and_students_get_403_on_reset_and_orphans_and_nothing_changes()
    {
        await using var factory = new PortalFactory(_data.Path);
        var code = await Students.CreateClassAsync(factory, "AUTHZ1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        var learner = await Students.JoinAsync(factory, code, "Guarded Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Guarded Learner");
        var classmate = await Students.JoinAsync(factory, code, "Classmate");
        var driver = await LabDriver.StartAsync(factory, learner, PortalFactory.FixtureLabs, "fixture-lab");
        using var otherInstructor = await PortalState.OtherInstructorAsync(factory, "other-teacher", "AUTHZ2");
        var stranger = await Students.JoinAsync(factory, "AUTHZ2", "Other Class Student");

        foreach (var (who, client) in new[] { ("another class's instructor", otherInstructor), ("the learner", learner), ("a classmate", classmate), ("another class's student", stranger) })
        {
            var token = await PortalState.AntiforgeryTokenAsync(client, "/account/change-password");
            Assert.True(HttpStatusCode.Forbidden == (await PortalState.ResetAsync(client, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode, $"{who}: learner reset");
            Assert.True(HttpStatusCode.Forbidden == (await PortalState.ResetAsync(client, $"/classes/{classId}/reset", token)).StatusCode, $"{who}: class reset");
            Assert.True(HttpStatusCode.Forbidden == (await client.GetAsync($"/classes/{classId}/orphans")).Response.StatusCode, $"{who}: orphans page");
            Assert.True(HttpStatusCode.Forbidden == (await PortalState.PostAsync(client, $"/classes/{classId}/orphans/delete", token, new Dictionary<string, string> { ["kind"] = "Instance", ["resourceId"] = "i-0123456789abcdef0", ["userId"] = learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture) })).StatusCode, $"{who}: orphan delete");
            Assert.True(HttpStatusCode.Forbidden == (await PortalState.PostAsync(client, $"/classes/{classId}/orphans/forget", token, new Dictionary<string, string> { ["entryId"] = "1" })).StatusCode, $"{who}: ledger forget");
        }

        // The class's own instructor without the antiforgery token: refused too.
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/reset", null)).StatusCode);

        // ... and without ticking "I understand": sent back to the dashboard with a message, nothing reset.
        var confirmToken = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        foreach (var path in new[] { $"/classes/{classId}/learners/{learnerId}/reset", $"/classes/{classId}/reset" })
        {
            var unconfirmed = await PortalState.PostAsync(instructor, path, confirmToken);
            Assert.Equal($"/classes/{classId}/dashboard?reset=unconfirmed", unconfirmed.Headers.Location!.OriginalString);
        }

        var (_, warned) = await instructor.GetAsync($"/classes/{classId}/dashboard?reset=unconfirmed");
        Assert.Contains("Nothing was reset", warned.QuerySelector("#reset-message")!.TextContent, StringComparison.Ordinal);

        // Nothing changed: the run is untouched and nothing was audited.
        var run = await PortalState.ReadAsync(factory, db => db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == driver.RunId));
        Assert.Equal(LabRunStatus.Active, run.Status);
        Assert.Null(run.TeardownReason);
        Assert.Equal(0, await PortalState.ReadAsync(factory, db => db.Audit.CountAsync()));

        // The class's own instructor with a token may (so the refusals above were about who asked).
        var instructorToken = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        var allowed = await PortalState.ResetAsync(instructor, $"/classes/{classId}/reset", instructorToken);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.Equal($"/classes/{classId}/dashboard?reset=class&runs=1", allowed.Headers.Location!.OriginalString);
        await PortalState.WaitForAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.Status).SingleAsync(), s => s == LabRunStatus.TornDown, "the class reset");
    }
}
