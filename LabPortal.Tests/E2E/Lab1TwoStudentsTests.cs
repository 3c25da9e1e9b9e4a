using System.Net;
using System.Net.ServerSentEvents;
using Amazon.EC2.Model;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Two students of one class run Lab 1 at the same time on the sandbox, one with the blog's pages
/// and one with pages of their own. Each sees only their own targets and pages on the live panel
/// stream, and neither can read or drive the other's run, even with the other's run open in the
/// panel and a valid session and antiforgery token of their own.
/// </summary>
[Trait("Category", "E2E")]
public sealed class Lab1TwoStudentsTests : IAsyncLifetime
{
    private const string BobPage1 = "bob page one";
    private const string BobPage2 = "bob page two";

    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox(new Dictionary<string, string?>
        {
            ["LivePanel:IntervalMilliseconds"] = "500",
        }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Two_students_running_Lab_1_at_once_see_only_their_own_panel_and_cannot_touch_each_others_run()
    {
        var code = await Students.CreateClassAsync(_factory, Lab1Flow.NewClassCode());
        var alice = await Lab1Flow.StartAsync(_data.Path, await Students.JoinAsync(_factory, code, "Alice"));
        var bob = await Lab1Flow.StartAsync(_data.Path, await Students.JoinAsync(_factory, code, "Bob"));
        Assert.NotEqual(alice.RunId, bob.RunId);

        await Task.WhenAll(
            BuildThroughLoadBalancerAsync(alice, null),
            BuildThroughLoadBalancerAsync(bob, new Dictionary<string, string>
            {
                ["Values[page1Html]"] = Page(BobPage1),
                ["Values[page2Html]"] = Page(BobPage2),
            }));

        var aliceIds = await InstanceIdsAsync(alice);
        var bobIds = await InstanceIdsAsync(bob);
        Assert.Empty(aliceIds.Intersect(bobIds));

        // Alice watches her panel while Bob tries to reach it: the shared poller of her run exists.
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var alicePanel = ReadPanelUntilBothPagesAnsweredAsync(alice, "gosim web page 01", "gosim web page 02", watching.Token);
        var bobPanel = ReadPanelUntilBothPagesAnsweredAsync(bob, BobPage1, BobPage2, watching.Token);

        var (aliceTargets, aliceRequests) = await alicePanel;
        Assert.Equal(aliceIds.Order(StringComparer.Ordinal), TargetIds(aliceTargets));
        // The zone column: AWS leaves it out for instance targets, so the panel looks the instances up.
        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], aliceTargets.QuerySelectorAll("tr[data-target]").Select(r => ((IHtmlTableRowElement)r).Cells[2].TextContent.Trim()).Order(StringComparer.Ordinal));
        Assert.All(PageNames(aliceRequests), p => Assert.StartsWith("gosim web page 0", p, StringComparison.Ordinal));
        var (bobTargets, bobRequests) = await bobPanel;
        Assert.Equal(bobIds.Order(StringComparer.Ordinal), TargetIds(bobTargets));
        Assert.All(PageNames(bobRequests), p => Assert.StartsWith("bob page", p, StringComparison.Ordinal));

        // Bob, on Alice's run: the stream, the panel, the pages and the status fragment.
        using (var stream = new HttpRequestMessage(HttpMethod.Get, $"{alice.RunUrl}/live/stream"))
        {
            using var response = await bob.Student.Http.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        foreach (var path in new[] { alice.RunUrl, $"{alice.RunUrl}/live", $"{alice.RunUrl}/steps/instances", $"{alice.RunUrl}/steps/verify-traffic" })
        {
            var (response, page) = await bob.Student.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.All(aliceIds, id => Assert.DoesNotContain(id, page.Source.Text, StringComparison.Ordinal));
        }

        using (var fragment = new HttpRequestMessage(HttpMethod.Get, $"{alice.RunUrl}/steps/load-balancer/status"))
        {
            fragment.Headers.Add("HX-Request", "true");
            using var response = await bob.Student.Http.SendAsync(fragment);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // Alice's run is complete, so her teardown step is open: only ownership can stop Bob now.
        Lab1Flow.AssertNoneFailed(await alice.CheckAsync("verify-traffic"));

        // Bob posts "Check my progress" and the teardown into Alice's run with forms of his own run.
        var before = await RunStateAsync(alice);
        var check = await PostOwnFormIntoAsync(bob, alice, "verify-traffic", "#check-form");
        var teardown = await PostOwnFormIntoAsync(bob, alice, "finish", "#action-form");
        foreach (var (response, body) in new[] { check, teardown })
        {
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
            Assert.DoesNotContain("check-results", body, StringComparison.Ordinal);
            Assert.All(aliceIds, id => Assert.DoesNotContain(id, body, StringComparison.Ordinal));
        }

        Assert.Equal(before, await RunStateAsync(alice));
        var (aliceCloud, aliceAccount) = await CloudOfAsync(alice);
        var described = await aliceCloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        Assert.Equal(
            aliceIds.Order(StringComparer.Ordinal),
            (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Where(i => i.State?.Name == "running").Select(i => i.InstanceId!).Order(StringComparer.Ordinal));

        // Each learner's account holds exactly what their own run's ledger lists, nothing of the other's.
        var (_, bobAccount) = await CloudOfAsync(bob);
        Assert.NotEqual(aliceAccount, bobAccount);
        var accounts = _factory.Services.GetRequiredService<ISandboxAccounts>();
        foreach (var (flow, account) in new[] { (alice, aliceAccount), (bob, bobAccount) })
        {
            var ledger = (await flow.LedgerAsync()).Select(e => e.ResourceId!).Order(StringComparer.Ordinal).ToList();
            var owned = (await accounts.ListResourcesAsync(account)).Select(r => r.ResourceId).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(ledger, owned);
        }
    }

    private static string Page(string title) =>
        $"<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n</body>\n</html>\n";

    private static async Task BuildThroughLoadBalancerAsync(Lab1Flow flow, IDictionary<string, string>? pages)
    {
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances", pages));
        Lab1Flow.AssertNoneFailed(await flow.CheckAsync("open-instances"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("target-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("load-balancer"));
    }

    private static async Task<List<string>> InstanceIdsAsync(Lab1Flow flow)
    {
        var outputs = await flow.OutputsAsync();
        return [outputs["instance1Id"], outputs["instance2Id"]];
    }

    /// <summary>Reads the student's own panel stream until both targets are healthy and both of the expected pages answered.</summary>
    private static async Task<(IDocument Targets, IDocument Requests)> ReadPanelUntilBothPagesAnsweredAsync(Lab1Flow flow, string page1, string page2, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{flow.RunUrl}/live/stream");
        using var response = await flow.Student.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        IDocument? targets = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            var fragment = await ParseAsync(item.Data);
            if (item.EventType == "targets")
            {
                targets = fragment;
            }
            else if (item.EventType == "requests")
            {
                seen.UnionWith(PageNames(fragment));
                var healthy = targets?.QuerySelectorAll("tr[data-target]").Count(r => r.GetAttribute("data-state") == "healthy") ?? 0;
                if (healthy == 2 && seen.Contains(page1) && seen.Contains(page2))
                {
                    return (targets!, fragment);
                }
            }
        }

        throw new InvalidOperationException("The panel stream ended.");
    }

    private static List<string> TargetIds(IDocument targets) =>
        [.. targets.QuerySelectorAll("tr[data-target]").Select(r => r.GetAttribute("data-target")!).Order(StringComparer.Ordinal)];

    private static List<string> PageNames(IDocument requests) =>
        [.. requests.QuerySelectorAll("li[data-page]").Select(li => li.GetAttribute("data-page")!).Where(p => p.Length > 0)];

    private static Task<IDocument> ParseAsync(string html) => BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html));

    /// <summary>The intruder fills the form on their own run (session, antiforgery token, form name) and posts it to the victim's step.</summary>
    private static async Task<(HttpResponseMessage Response, string Body)> PostOwnFormIntoAsync(Lab1Flow intruder, Lab1Flow victim, string stepId, string formSelector)
    {
        var (_, ownPage) = await intruder.Student.GetAsync($"{intruder.RunUrl}/steps/{stepId}");
        var form = ownPage.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No {formSelector} on {stepId}.");
        var values = form.QuerySelectorAll<IHtmlInputElement>("input:not([type=radio]):not([type=checkbox])").Select(i => (i.Name, i.Value))
            .Concat(form.QuerySelectorAll<IHtmlTextAreaElement>("textarea").Select(t => (t.Name, t.Value)))
            .Concat(form.QuerySelectorAll<IHtmlSelectElement>("select").Select(s => (s.Name, Value: s.Value ?? "")))
            .Where(f => f.Name is { Length: > 0 })
            .Select(f => new KeyValuePair<string, string>(f.Name!, f.Value))
            .ToList();
        Assert.Contains(values, v => v.Key == "__RequestVerificationToken");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{victim.RunUrl}/steps/{stepId}") { Content = new FormUrlEncodedContent(values) };
        var response = await intruder.Student.Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What a post into the run could change: its step runs, saved values and ledger.</summary>
    private static async Task<string> RunStateAsync(Lab1Flow flow)
    {
        await using var db = Lab1Flow.OpenDatabase(flow.DataDirectory);
        var run = await db.LabRuns.AsNoTracking().SingleAsync(r => r.Id == flow.RunId);
        var steps = await db.StepRuns.Where(s => s.LabRunId == flow.RunId).OrderBy(s => s.Id).Select(s => $"{s.Id}:{s.StepId}:{s.Status}:{s.Attempts}").ToListAsync();
        var ledger = await db.Ledger.Where(e => e.LabRunId == flow.RunId).OrderBy(e => e.Id).Select(e => $"{e.Kind}:{e.ResourceId}:{e.State}").ToListAsync();
        return $"{run.ValuesJson}|{string.Join(";", steps)}|{string.Join(";", ledger)}";
    }

    private async Task<(AwsClients Clients, string AccountId)> CloudOfAsync(Lab1Flow flow)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var accountId = await db.LabRuns.Where(r => r.Id == flow.RunId).Select(r => r.CloudAccountId).SingleAsync();
        var account = await db.CloudAccounts.SingleAsync(a => a.Id == accountId);
        var (key, secret) = scope.ServiceProvider.GetRequiredService<LearnerCloud>().RevealKeys(account);
        var endpoints = _factory.Services.GetRequiredService<SandboxEndpoints>();
        return (scope.ServiceProvider.GetRequiredService<CloudClientFactory>().For(new AwsCredential(Lab1Flow.Lab.Region, endpoints.Api, key, secret)), account.AccountId);
    }
}
