using System.Text.Json;
using LabPortal.Aws.Core;
using LabPortal.Aws.Ec2;
using LabPortal.Features.LabRuns;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// The portal process dies (SIGKILL) while Lab 1's "instances" step runs, and a new portal starts on
/// the same data folder: the same portal database, the same Quartz job store, the same sandbox state
/// file (the sandbox is in-process, so it dies and comes back with the portal, as in a real
/// single-node crash). The step must finish on its own, with exactly two instances, and the ledger
/// must match the cloud.
/// </summary>
[Trait("Category", "E2E")]
public sealed class Lab1CrashRecoveryTests : IDisposable
{
    private readonly TempDirectory _data = new("labportal-crash");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Portal_killed_while_the_instances_step_waits_for_them_finishes_the_step_after_a_restart_with_exactly_two_instances()
    {
        var flow = await CrashDuringInstancesStepAsync();

        await RestartAndAssertRecoveredAsync(flow);
    }

    [Fact]
    public async Task Portal_killed_after_RunInstances_but_before_the_ledger_completion_launches_no_third_instance_after_a_restart()
    {
        var flow = await CrashDuringInstancesStepAsync();

        // Make the killed portal's database exactly what a kill a moment earlier leaves behind: the
        // second RunInstances call answered, but neither its ledger completion nor the outputs after
        // it were saved. Only the client token can now tell the re-run that this instance exists.
        await using (var db = Lab1Flow.OpenDatabase(_data.Path))
        {
            var secondName = Lab1Flow.Lab.Step("instances")!.Parameters.Single(p => p.Name == "instance2Name").Default;
            var second = await db.Ledger.SingleAsync(e => e.LabRunId == flow.RunId && e.Kind == "Instance" && e.Name == secondName);
            Assert.NotNull(second.ResourceId);
            second.State = LedgerState.Intended;
            second.ResourceId = null;
            second.CompletedAtUtc = null;
            var run = await db.LabRuns.SingleAsync(r => r.Id == flow.RunId);
            var outputs = RunView.ReadJson(run.OutputsJson);
            outputs.Remove("instance2Id");
            outputs.Remove("instance2PublicDns");
            run.OutputsJson = JsonSerializer.Serialize(outputs);
            await db.SaveChangesAsync();
        }

        await RestartAndAssertRecoveredAsync(flow);
    }

    [Fact]
    public async Task Portal_stopped_gracefully_while_the_instances_step_waits_finishes_the_step_after_a_restart()
    {
        Lab1Flow flow;
        await using (var first = new PortalFactory(_data.Path, Settings))
        {
            var code = await Students.CreateClassAsync(first, Lab1Flow.NewClassCode());
            flow = await Lab1Flow.StartAsync(_data.Path, await Students.JoinAsync(first, code, "Deploy Student"));
            await flow.PassQuizAsync("concepts");
            Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
            Assert.True((await flow.Wizard.SubmitAsShownAsync(flow.RunId, "instances"))!.Succeeded);
            await WaitUntilBothLaunchedAsync(flow, "");
        }

        await RestartAndAssertRecoveredAsync(flow);
    }

    private Dictionary<string, string?> Settings => new()
    {
        ["Portal:DataDirectory"] = _data.Path,
        ["Portal:JsonLogs"] = "false",
        ["Accounts:InitialInstructorUserName"] = PortalFactory.InstructorUserName,
        ["Accounts:InitialInstructorPassword"] = PortalFactory.InstructorPassword,
        ["Labs:Directory"] = Lab1Flow.ShippedLabs,
        ["Sandbox:Enabled"] = "true",
        ["Sandbox:ApiPort"] = "0",
        ["Sandbox:DataPlanePort"] = "0",
        // Slow enough that an instance boots for ten seconds (AWS's 30 s / 3): the step is surely
        // still waiting for them when the process is killed.
        ["Sandbox:TimeScale"] = "3",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// Runs Lab 1 up to the instances step in a real portal process, the student in a real browser
    /// (the wizard is an interactive page), and kills the portal while that step waits for its instances.
    /// </summary>
    private async Task<Lab1Flow> CrashDuringInstancesStepAsync()
    {
        using var portal = await PortalProcess.StartAsync(Settings);
        var code = await Students.CreateClassAsync(portal.CreatePortalClient(), Lab1Flow.NewClassCode());
        var flow = await Lab1Flow.StartAsync(_data.Path, await Students.JoinAsync(portal.CreatePortalClient(), code, "Crash Student"));
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new() { BaseURL = portal.BaseAddress.ToString(), Locale = "en-US" });
            page.SetDefaultTimeout(60_000);
            await page.GotoAsync("/account/login");
            await page.GetByLabel("User name").FillAsync("Crash Student");
            await page.GetByLabel("Password").FillAsync("Crash Student-password");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/labs");
            await page.GotoAsync($"{flow.RunUrl}/steps/concepts");
            await WaitInteractiveAsync(page, "concepts");
            foreach (var question in Lab1Flow.Lab.Step("concepts")!.Quiz)
            {
                var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
                await page.GetByRole(Microsoft.Playwright.AriaRole.Group, new() { Name = question.Question.En })
                    .GetByRole(Microsoft.Playwright.AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
            }

            await page.Locator("#check-answers").ClickAsync();
            await WaitInteractiveAsync(page, "security-group");
            await page.Locator("#run-step").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#step-status-text[data-state=done]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await page.Locator("#next-step").ClickAsync();
            await WaitInteractiveAsync(page, "instances");
            await page.Locator("#run-step").ClickAsync();
            await WaitUntilBothLaunchedAsync(flow, portal.Output);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }

        await portal.CrashAsync();
        flow.Student.Dispose();

        await using (var db = Lab1Flow.OpenDatabase(_data.Path))
        {
            var step = await db.StepRuns.SingleAsync(s => s.LabRunId == flow.RunId && s.StepId == "instances");
            Assert.Equal(StepRunStatus.Running, step.Status);
            Assert.Equal(1, step.Attempts);
        }

        return flow;
    }

    private static async Task WaitInteractiveAsync(Microsoft.Playwright.IPage page, string stepId)
    {
        await page.WaitForURLAsync($"**/steps/{stepId}");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(Lab1Flow.Lab.Step(stepId)!.Title.En, new() { Timeout = 30_000 });
    }

    /// <summary>Returns once both instances of the submitted instances step are in the ledger (intent and completion) while the job still waits for them to run.</summary>
    private async Task WaitUntilBothLaunchedAsync(Lab1Flow flow, string portalOutput)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var db = Lab1Flow.OpenDatabase(_data.Path))
            {
                var created = await db.Ledger.CountAsync(e => e.LabRunId == flow.RunId && e.Kind == "Instance" && e.State == LedgerState.Created);
                var step = await db.StepRuns.Where(s => s.LabRunId == flow.RunId && s.StepId == "instances").SingleOrDefaultAsync();
                Assert.False(step is { Status: StepRunStatus.Succeeded or StepRunStatus.Failed }, $"The step ended ({step?.Status}) before the stop: boot is too fast for this test.\n{portalOutput}");
                if (created == 2 && step is { Status: StepRunStatus.Running })
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "The instances step never got as far as launching both instances:\n" + portalOutput);
            await Task.Delay(100);
        }
    }

    private async Task RestartAndAssertRecoveredAsync(Lab1Flow flow)
    {
        await using var restarted = new PortalFactory(_data.Path, Settings);
        _ = restarted.Services;

        // Nobody presses anything: the job store hands the interrupted job to the new process.
        var step = await flow.WaitForStepAsync("instances", TimeSpan.FromSeconds(120));
        Lab1Flow.AssertSucceeded(step);
        Assert.Equal(2, step.Attempts);

        var ledger = await flow.LedgerAsync();
        Assert.All(ledger, e => Assert.True(e.State == LedgerState.Created && e.ResourceId is not null, $"{e.Kind} {e.Name} is {e.State}"));
        var ledgerInstances = ledger.Where(e => e.Kind == "Instance").Select(e => e.ResourceId!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, ledgerInstances.Count);
        var outputs = await flow.OutputsAsync();
        Assert.Equal(ledgerInstances, new[] { outputs["instance1Id"], outputs["instance2Id"] }.Order(StringComparer.Ordinal));

        // The cloud: exactly the two instances of the ledger, running, in the learner's account.
        using var scope = restarted.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var account = await db.CloudAccounts.SingleAsync();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var (key, secret) = cloud.RevealKeys(account);
        var endpoints = restarted.Services.GetRequiredService<SandboxEndpoints>();
        var clients = scope.ServiceProvider.GetRequiredService<AwsClientFactory>().CreateAll(AwsClientOptions.ForStaticKeys(Lab1Flow.Lab.Region, key, secret, endpoints.Api));
        var described = await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        var instances = (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).ToList();
        Assert.Equal(ledgerInstances, instances.Select(i => i.InstanceId!).Order(StringComparer.Ordinal));
        Assert.All(instances, i => Assert.Equal("running", i.State?.Name));

        // Every Created ledger entry exists, and nothing the account owns is missing from the ledger.
        var owned = await restarted.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.Equal(
            ledger.Select(e => e.ResourceId!).Order(StringComparer.Ordinal),
            owned.Select(r => r.ResourceId).Order(StringComparer.Ordinal));

        // And the two servers the recovered step waited for serve the blog's pages.
        using var http = new HttpClient();
        foreach (var (index, page) in new[] { (1, "gosim web page 01"), (2, "gosim web page 02") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, endpoints.DataPlane);
            request.Headers.Host = outputs[$"instance{index}PublicDns"];
            var body = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
            Assert.Contains(page, body, StringComparison.Ordinal);
        }
    }
}
