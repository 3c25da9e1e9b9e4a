using System.Globalization;
using System.Text.RegularExpressions;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LabPortal.Tests.ScaleOut;

/// <summary>
/// Several nodes as they are deployed (README "Running several nodes"): a PostgreSQL database of its own in the
/// test cluster, the standalone sandbox, two portal nodes on both, nginx in front, every one a process of its own.
/// Two students on different nodes finish Lab 1 while the instructor's dashboard on the other node follows them
/// without a reload; node A is killed (SIGKILL) in the middle of a student's step, the step finishes on node B once
/// (the ledger equals the cloud) and the student's page comes back through nginx showing it done. The auto-cleanup
/// ran once per interval across both nodes, and the cloud sees as many DescribeTargetHealth calls per minute for a
/// run watched on both nodes as on one.
/// </summary>
[Trait("Category", "ScaleOut")]
[StartsFirst]
public sealed partial class TwoNodesOnPostgreSqlTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int A = 0;
    private const int B = 1;
    private const string Lab = "alb-two-web-servers";

    /// <summary>The auto-cleanup's interval on the nodes (<c>Cleanup:Interval</c>).</summary>
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a panel's polls are counted, with one node watching and then both.</summary>
    private static readonly TimeSpan PollWindow = TimeSpan.FromSeconds(16);

    private readonly TempDirectory _data = new("labportal-two-nodes");
    private DateTime _clusterStartedAt;
    private readonly string _shots = Path.Combine(Artifacts.Directory, "scaleout", "two-nodes");
    private string _database = null!;
    private ScaleOutCluster _cluster = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_shots);
        _database = TestDatabase.PortalConnectionString(_data.Path, TestDatabaseProvider.PostgreSql)!;
        _clusterStartedAt = DateTime.UtcNow;
        _cluster = await ScaleOutCluster.StartAsync(new ScaleOutOptions
        {
            Name = "two-nodes",
            Nodes = 2,
            PortalConnectionString = _database,
            // Instances boot for 1.5 s: long enough to kill a node in the middle of the instances step.
            SandboxTimeScale = 20,
            NodeSettings = new Dictionary<string, string?>
            {
                // A dead node's job comes back after 5 s, and the lease its execution held ends within 2 x 10 s.
                ["Jobs:NodeFailoverTimeout"] = "00:00:05",
                ["Jobs:ExecutionLimit"] = "00:00:10",
                ["Jobs:InlineWait"] = "00:00:03",
                ["Cleanup:Interval"] = CleanupInterval.ToString(),
                // Each AWS call of the generated clients (ELB, Auto Scaling) is one log line: the test counts DescribeTargetHealth.
                ["Logging:LogLevel:LabPortal.Aws"] = "Information",
            },
        });
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Two_students_on_two_nodes_finish_Lab_1_dashboards_on_the_other_node_follow_and_a_killed_nodes_step_finishes_once_on_the_other()
    {
        var names = new[] { await ScaleOutCluster.ServerNameAsync(_cluster.NodeUrls[A]), await ScaleOutCluster.ServerNameAsync(_cluster.NodeUrls[B]) };
        var code = "TWO" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        await Students.CreateClassAsync(_cluster.Node(B).CreatePortalClient(), code);
        var classId = await ReadAsync(db => db.Classrooms.Where(c => c.JoinCode == code).Select(c => c.Id).SingleAsync());
        using (await Students.JoinAsync(_cluster.Node(B).CreatePortalClient(), code, "Jisoo"))
        {
        }

        var jisooId = await ReadAsync(db => db.Users.Where(u => u.DisplayName == "Jisoo").Select(u => u.Id).SingleAsync());

        // The instructor's dashboard, open on each node (the browser straight to the node).
        var instructor = await _browser.OpenContextAsync(new BrowserNewContextOptions { Locale = "en-US", ViewportSize = new() { Width = 1366, Height = 768 } });
        instructor.SetDefaultTimeout(30_000);
        var dashboards = new IPage[2];
        // Minji's browser goes through nginx and sticks to node A; a second one of hers (same sign-in) sticks to node B.
        var minjiOnA = await StudentContextAsync(await _cluster.StickyCookieForAsync(A));
        var minji = await minjiOnA.NewPageAsync();
        IBrowserContext? minjiOnB = null;
        // Jisoo's browser goes straight to node B.
        var jisooContext = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _cluster.NodeUrls[B].ToString(), Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 900 } });
        jisooContext.SetDefaultTimeout(30_000);
        var jisoo = await jisooContext.NewPageAsync();
        try
        {
            foreach (var node in new[] { A, B })
            {
                dashboards[node] = await instructor.NewPageAsync();
                await SignInAsInstructorAsync(dashboards[node], _cluster.NodeUrls[node]);
                await dashboards[node].GotoAsync(new Uri(_cluster.NodeUrls[node], $"/classes/{classId}/dashboard").ToString());
                await Assertions.Expect(dashboards[node].Locator($"#matrix-{Lab} .not-started")).ToHaveTextAsync("Not started yet (1): Jisoo");
                await dashboards[node].EvaluateAsync("() => { window.labPortalMark = 'same page'; }");
            }

            await JoinInBrowserAsync(minji, code, "Minji");
            Assert.Equal(names[A], await ServerNameSeenByAsync(minji));
            var minjiId = await ReadAsync(db => db.Users.Where(u => u.DisplayName == "Minji").Select(u => u.Id).SingleAsync());
            await minji.Locator($"#start-{Lab}").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
            await ExpectStepAsync(minji, "concepts");
            var runId = int.Parse(RunIdInUrl().Match(minji.Url).Groups[1].Value, CultureInfo.InvariantCulture);

            // Jisoo does the whole lab on node B while Minji starts hers on node A; each dashboard shows the other node's student.
            var jisooLab = WholeLabAsync(jisoo, "Jisoo");
            await AnswerQuizAsync(minji);
            await RunStepAsync(minji, "security-group");
            await ExpectCellAsync(dashboards[B], minjiId, "security-group", "Succeeded");
            await jisooLab;
            await ExpectCellAsync(dashboards[A], jisooId, "finish", "TornDown");

            // Minji's instances step: her page on node A runs it, her second browser shows it on node B.
            await minji.Locator("#next-step").ClickAsync();
            await ExpectStepAsync(minji, "instances");
            minjiOnB = await StudentContextAsync(await _cluster.StickyCookieForAsync(B), await minjiOnA.CookiesAsync());
            var pages = new IPage[] { minji, await minjiOnB.NewPageAsync() };
            await pages[B].GotoAsync($"/runs/{runId}/steps/instances");
            await ExpectStepAsync(pages[B], "instances");
            Assert.Equal(names[B], await ServerNameSeenByAsync(pages[B]));
            await minji.Locator("#run-step").ClickAsync();

            // Whichever node's job server runs the step is killed once the first instance is asked for.
            var stepRunId = await WaitForFirstInstanceAsync(runId);
            var runner = ServerRunning(stepRunId);
            var killed = Array.FindIndex(names, n => runner.StartsWith(n, StringComparison.OrdinalIgnoreCase));
            Assert.True(killed >= 0, $"The step runs on {runner}, not on either node ({string.Join(", ", names)}).");
            var survivor = 1 - killed;
            await _cluster.KillNodeAsync(killed);
            var killedAt = DateTime.UtcNow;
            output.WriteLine($"Killed node {"AB"[killed]}, which ran Minji's instances step.");

            // The page on the killed node loses its circuit; reconnecting through nginx reaches the other node, which
            // has never heard of it, so the page says so and its Reload button brings it back to the same step, done.
            var orphan = pages[killed];
            await Assertions.Expect(orphan.Locator("#components-reconnect-modal p.lp-reconnect-rejected")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await orphan.ScreenshotAsync(new() { Path = Path.Combine(_shots, "01-node-killed.png") });
            await orphan.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            await ExpectStepAsync(orphan, "instances");
            Assert.Equal(names[survivor], await ServerNameSeenByAsync(orphan));
            foreach (var page in pages)
            {
                await Assertions.Expect(page.Locator("#step-status-text[data-state=done]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            }

            output.WriteLine($"The step was done on node {"AB"[survivor]} {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill.");
            await orphan.ScreenshotAsync(new() { Path = Path.Combine(_shots, "02-step-done-on-the-other-node.png") });
            await ExpectCellAsync(dashboards[survivor], minjiId, "instances", "Succeeded");

            // Once: one step run, succeeded, and exactly the ledger's two instances in Minji's account.
            var step = await ReadAsync(db => db.StepRuns.AsNoTracking().SingleAsync(s => s.Id == stepRunId));
            Assert.Equal(StepRunStatus.Succeeded, step.Status);
            Assert.InRange(step.Attempts, 1, 2);
            var ledgerInstances = await ReadAsync(db => db.Ledger.Where(e => e.LabRunId == runId && e.Kind == ResourceKind.Instance).ToListAsync());
            Assert.Equal(2, ledgerInstances.Count);
            Assert.All(ledgerInstances, e => Assert.Equal(LedgerState.Created, e.State));
            Assert.Equal(ledgerInstances.Select(e => e.ResourceId).Order(), (await CloudInstancesAsync(runId)).Order());

            // The killed node comes back; Minji finishes the lab on the page that survived, watched by the surviving dashboard.
            await _cluster.StartNodeAsync(killed);
            await minjiOnB.CloseAsync();
            minjiOnB = null;
            await minji.Locator("#next-step").ClickAsync();
            await StepsAsync(minji, "open-instances", "verify-traffic");
            await ExpectCellAsync(dashboards[survivor], minjiId, "verify-traffic", "Succeeded");

            // Minji's live panel watched on node A alone, then on both nodes: the cloud sees the same polls per minute.
            await minji.GotoAsync("/labs");
            var alone = await PanelPollsAsync(minjiOnA, runId, [A]);
            var both = await PanelPollsAsync(minjiOnA, runId, [A, B]);
            output.WriteLine($"DescribeTargetHealth per minute for one run: watched on node A {alone.PerMinute:0.0} ({alone.ByNode[A]} by A, {alone.ByNode[B]} by B), on both nodes {both.PerMinute:0.0} ({both.ByNode[A]} by A, {both.ByNode[B]} by B).");
            Assert.True(alone.PerMinute > 0, "The panel on node A made no DescribeTargetHealth call.");
            Assert.True(Math.Abs(both.PerMinute - alone.PerMinute) <= alone.PerMinute * 0.25, $"Watched on both nodes: {both.PerMinute:0.0} calls per minute; on one: {alone.PerMinute:0.0}.");
            Assert.Equal(0, both.ByNode[B]);

            // Minji tears everything down.
            await minji.GotoAsync($"/runs/{runId}/steps/finish");
            await TearDownAsync(minji);
            await ExpectCellAsync(dashboards[survivor], minjiId, "finish", "TornDown");
            Assert.Equal("same page", await dashboards[survivor].EvaluateAsync<string>("() => window.labPortalMark"));
            await dashboards[survivor].ScreenshotAsync(new() { Path = Path.Combine(_shots, "03-dashboard.png"), FullPage = true });

            // Both students' accounts are empty, and both ledgers say so.
            Assert.All(await ReadAsync(db => db.Ledger.ToListAsync()), e => Assert.Equal(LedgerState.Deleted, e.State));
            using (var admin = _cluster.SandboxAdmin())
            {
                var learners = (await admin.ListAccountsAsync()).Where(a => !a.IsPlayground).ToList();
                Assert.Equal(2, learners.Count);
                foreach (var learner in learners)
                {
                    Assert.Empty(await admin.ListResourcesAsync(learner.AccountId));
                }
            }

            AssertCleanupRanOncePerInterval();
        }
        catch (Exception e)
        {
            await minji.ScreenshotAsync(new() { Path = Path.Combine(_shots, "FAILED-student.png"), FullPage = true });
            throw new Xunit.Sdk.XunitException(e.Message + "\nprocesses:\n" + _cluster.Logs(), e);
        }
        finally
        {
            await minjiOnA.CloseAsync();
            await jisooContext.CloseAsync();
            if (minjiOnB is not null)
            {
                await minjiOnB.CloseAsync();
            }

            await instructor.CloseAsync();
        }
    }

    /// <summary>A browser of Minji's through nginx with nginx's sticky cookie <paramref name="sticky"/> (and her sign-in, if given).</summary>
    private async Task<IBrowserContext> StudentContextAsync(string sticky, IReadOnlyList<BrowserContextCookiesResult>? signIn = null)
    {
        var context = await _browser.OpenContextAsync(new BrowserNewContextOptions { BaseURL = _cluster.NginxUrl.ToString(), Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var cookies = (signIn ?? []).Where(c => c.Name != "lp_node").Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite }).ToList();
        cookies.Add(new Cookie { Name = "lp_node", Value = sticky, Domain = _cluster.NginxUrl.Host, Path = "/" });
        await context.AddCookiesAsync(cookies);
        return context;
    }

    /// <summary>Signs <paramref name="name"/> in on <paramref name="page"/>'s portal and runs the whole of Lab 1, the teardown included.</summary>
    private static async Task WholeLabAsync(IPage page, string name)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(name + "-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lab-list[data-interactive=true]")).ToBeVisibleAsync();
        await page.Locator($"#start-{Lab}").GetByRole(AriaRole.Button, new() { Name = "Start lab" }).ClickAsync();
        await ExpectStepAsync(page, "concepts");
        await AnswerQuizAsync(page);
        await StepsAsync(page, "security-group", "verify-traffic");
        await page.Locator("#next-step").ClickAsync();
        await TearDownAsync(page);
    }

    private static async Task AnswerQuizAsync(IPage page)
    {
        foreach (var question in Lab1Flow.Lab.Step("concepts")!.Quiz)
        {
            var answer = question.Choices.Single(c => c.Id == question.Answer).Text.En;
            await page.GetByRole(AriaRole.Group, new() { Name = question.Question.En })
                .GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true }).CheckAsync(new() { Force = true });
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Check my answers" }).ClickAsync();
    }

    /// <summary>Does Lab 1's steps from <paramref name="first"/> to <paramref name="last"/> (actions run, checks passed), moving on after each but the last.</summary>
    private static async Task StepsAsync(IPage page, string first, string last)
    {
        var steps = Lab1Flow.Lab.Steps.SkipWhile(s => s.Id != first).ToList();
        foreach (var step in steps[..(steps.FindIndex(s => s.Id == last) + 1)])
        {
            if (step.Kind == LabPortal.Features.Labs.Definitions.StepKind.Verify)
            {
                await CheckUntilPassedAsync(page, step.Id);
            }
            else
            {
                await RunStepAsync(page, step.Id);
            }

            if (step.Id != last)
            {
                await page.Locator("#next-step").ClickAsync();
            }
        }
    }

    /// <summary>The finish step's "Tear everything down", confirmed, until the lab is done.</summary>
    private static async Task TearDownAsync(IPage page)
    {
        await ExpectStepAsync(page, "finish");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tear everything down" }).ClickAsync();
        await page.Locator("#confirm-yes").ClickAsync();
        await Assertions.Expect(page.Locator("#step-status-text[data-state=done]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#progress-text")).ToHaveTextAsync($"{Lab1Flow.Lab.Steps.Count} of {Lab1Flow.Lab.Steps.Count} steps done");
    }

    /// <summary>
    /// Opens Minji's live panel on each of <paramref name="nodes"/> (directly, one tab each), waits until every tab
    /// shows her targets, then counts the DescribeTargetHealth calls each node makes over <see cref="PollWindow"/>.
    /// </summary>
    private async Task<(double PerMinute, int[] ByNode)> PanelPollsAsync(IBrowserContext context, int runId, int[] nodes)
    {
        var tabs = new List<IPage>();
        foreach (var node in nodes)
        {
            var tab = await context.NewPageAsync();
            await tab.GotoAsync(new Uri(_cluster.NodeUrls[node], $"/runs/{runId}/live").ToString());
            await Assertions.Expect(tab.Locator("#panel-targets li[data-target][data-state=healthy]")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            tabs.Add(tab);
        }

        var before = new[] { TargetHealthCalls(A), TargetHealthCalls(B) };
        await Task.Delay(PollWindow);
        var byNode = new[] { TargetHealthCalls(A) - before[0], TargetHealthCalls(B) - before[1] };
        foreach (var tab in tabs)
        {
            await tab.CloseAsync();
        }

        return (byNode.Sum() / PollWindow.TotalMinutes, byNode);
    }

    /// <summary>DescribeTargetHealth calls node <paramref name="node"/> has made since it started, from its log.</summary>
    private int TargetHealthCalls(int node) => Regex.Count(_cluster.Node(node).Output, "AWS elbv2 DescribeTargetHealth ");

    /// <summary>
    /// One auto-cleanup job per interval since the first node started (not one per node), each processed once, by
    /// whichever node's job server took it. Both nodes' servers share the work; the count proves no occurrence ran twice.
    /// </summary>
    private void AssertCleanupRanOncePerInterval()
    {
        var elapsed = DateTime.UtcNow - _clusterStartedAt;
        var sweeps = CleanupSweeps.Read(JobStorage());
        var intervals = elapsed / CleanupInterval;
        output.WriteLine($"Auto-cleanup: {sweeps.Count} occurrences in {elapsed.TotalSeconds:0} s ({intervals:0.0} intervals of {CleanupInterval.TotalSeconds:0} s), processed by {sweeps.SelectMany(s => s.Servers).Distinct().Count()} job server(s).");
        Assert.InRange(sweeps.Count, (int)(intervals / 3), (int)Math.Ceiling(intervals) + 1);
        CleanupSweeps.AssertOncePerOccurrence(sweeps);
    }

    /// <summary>The portal's job storage, read from the test (the nodes made its schema).</summary>
    private PostgreSqlStorage JobStorage()
    {
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(_database, options), options);
    }

    /// <summary>The id of the job server processing step run <paramref name="stepRunId"/>'s job now.</summary>
    private string ServerRunning(int stepRunId)
    {
        var running = JobStorage().GetMonitoringApi().ProcessingJobs(0, 100)
            .Where(j => j.Value.Job?.Type == typeof(LabPortal.Features.LabRuns.Engine.StepRunner) && j.Value.Job.Args.Count > 0 && Convert.ToInt32(j.Value.Job.Args[0], CultureInfo.InvariantCulture) == stepRunId)
            .ToList();
        var job = Assert.Single(running);
        return job.Value.ServerId;
    }

    /// <summary>The ids of the instances the cloud holds in the account of run <paramref name="runId"/>.</summary>
    private async Task<List<string>> CloudInstancesAsync(int runId)
    {
        var account = await ReadAsync(db => db.LabRuns.Where(r => r.Id == runId).Select(r => r.CloudAccount!.AccountId).SingleAsync());
        using var admin = _cluster.SandboxAdmin();
        return [.. (await admin.ListResourcesAsync(account)).Where(r => r.ResourceType == "instance").Select(r => r.ResourceId)];
    }

    /// <summary>Waits until the instances step of run <paramref name="runId"/> has asked for its first instance; returns the step run's id.</summary>
    private async Task<int> WaitForFirstInstanceAsync(int runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (step, instances) = await ReadAsync(async db => (
                await db.StepRuns.AsNoTracking().SingleOrDefaultAsync(s => s.LabRunId == runId && s.StepId == "instances"),
                await db.Ledger.CountAsync(e => e.LabRunId == runId && e.Kind == ResourceKind.Instance)));
            Assert.False(step is { Status: StepRunStatus.Succeeded or StepRunStatus.Failed }, "The instances step ended before node A could be killed: too fast for this test.");
            if (instances >= 1 && step is not null)
            {
                return step.Id;
            }

            Assert.True(DateTime.UtcNow < deadline, "The instances step never asked for an instance.");
            await Task.Delay(20);
        }
    }

    private async Task<T> ReadAsync<T>(Func<PortalDbContext, Task<T>> read)
    {
        await using var db = TestDatabase.Open(_data.Path);
        return await read(db);
    }

    /// <summary>Which node answers this browser's requests through nginx now (its sticky cookie).</summary>
    private static async Task<string> ServerNameSeenByAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("/healthz");
        return ScaleOutCluster.ServerName(await response.TextAsync());
    }

    private static async Task ExpectCellAsync(IPage dashboard, int learnerId, string stepId, string state) =>
        await Assertions.Expect(dashboard.Locator($"#matrix-{Lab} [data-learner='{learnerId}']").Locator("xpath=ancestor::tr").Locator($"[data-step='{stepId}'][data-state]"))
            .ToHaveAttributeAsync("data-state", state, new() { Timeout = 30_000 });

    private static async Task SignInAsInstructorAsync(IPage page, Uri node)
    {
        await page.GotoAsync(new Uri(node, "/account/login").ToString());
        await page.GetByLabel("User name").FillAsync(PortalFactory.InstructorUserName);
        await page.GetByLabel("Password").FillAsync(PortalFactory.InstructorPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your classes" })).ToBeVisibleAsync();
    }

    private static async Task JoinInBrowserAsync(IPage page, string code, string name)
    {
        await page.GotoAsync("/join");
        await page.GetByLabel("Join code").FillAsync(code);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(name + "-password");
        await page.GetByLabel("Repeat the password").FillAsync(name + "-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Assertions.Expect(page.Locator("#lab-list[data-interactive=true]")).ToBeVisibleAsync();
    }

    private static async Task ExpectStepAsync(IPage page, string stepId)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/steps/{Regex.Escape(stepId)}$"));
        await Assertions.Expect(page.Locator("#step-title")).ToHaveTextAsync(Lab1Flow.Lab.Step(stepId)!.Title.En);
        await Assertions.Expect(page.Locator("#step-page")).ToHaveAttributeAsync("data-interactive", "true");
    }

    private static async Task RunStepAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        await page.Locator("#run-step").ClickAsync();
        await Assertions.Expect(page.Locator("#step-status-text[data-state=done], #step-status-text[data-state=failed]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        Assert.Equal("done", await page.Locator("#step-status-text").GetAttributeAsync("data-state"));
    }

    private static async Task CheckUntilPassedAsync(IPage page, string stepId)
    {
        await ExpectStepAsync(page, stepId);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await page.Locator("#check-progress").ClickAsync();
            var results = page.Locator("#check-results li");
            await Assertions.Expect(results.First).ToBeVisibleAsync();
            var verdicts = await results.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.verdict)");
            if (verdicts.Length > 0 && verdicts.All(v => v == "Passed"))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{stepId}: " + await page.Locator("#check-results").InnerTextAsync());
            await Task.Delay(1000);
        }
    }

    [GeneratedRegex(@"/runs/(\d+)/")]
    private static partial Regex RunIdInUrl();
}
