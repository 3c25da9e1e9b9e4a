using System.Net;
using Amazon.EC2.Model;
using LabPortal.Features.LivePanel;
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
/// and one with pages of their own. Each sees only their own targets and pages on their live panel,
/// and neither can read or drive the other's run through its pages or the wizard's circuit actions,
/// even with the other's run open in the panel.
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

        var aliceSnapshot = await alicePanel;
        Assert.Equal(aliceIds.Order(StringComparer.Ordinal), aliceSnapshot.Targets.Select(t => t.Id).Order(StringComparer.Ordinal));
        // The zone: AWS leaves it out for instance targets, so the poller looks the instances up (and their Name tags).
        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], aliceSnapshot.Targets.Select(t => t.AvailabilityZone!).Order(StringComparer.Ordinal));
        Assert.All(aliceSnapshot.Targets, t => Assert.False(string.IsNullOrEmpty(t.Name)));
        Assert.All(PageNames(aliceSnapshot), p => Assert.StartsWith("gosim web page 0", p, StringComparison.Ordinal));
        var bobSnapshot = await bobPanel;
        Assert.Equal(bobIds.Order(StringComparer.Ordinal), bobSnapshot.Targets.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.All(PageNames(bobSnapshot), p => Assert.StartsWith("bob page", p, StringComparison.Ordinal));

        foreach (var path in new[] { alice.RunUrl, $"{alice.RunUrl}/live", $"{alice.RunUrl}/steps/instances", $"{alice.RunUrl}/steps/verify-traffic" })
        {
            var (response, page) = await bob.Student.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.All(aliceIds, id => Assert.DoesNotContain(id, page.Source.Text, StringComparison.Ordinal));
        }

        // Alice's run is complete, so her teardown step is open: only ownership can stop Bob now.
        Lab1Flow.AssertNoneFailed(await alice.CheckAsync("verify-traffic"));

        // Bob presses "Check my progress", the teardown and "keep" with Alice's run id (what a tampered circuit could send).
        var before = await RunStateAsync(alice);
        var bobId = await bob.Wizard.UserIdAsync();
        Assert.Null(await bob.Wizard.Wizard.CheckAsync(bobId, alice.RunId, "verify-traffic"));
        Assert.Null(await bob.Wizard.Wizard.SubmitActionAsync(bobId, alice.RunId, "finish", new Dictionary<string, string?>()));
        Assert.Null(await bob.Wizard.Wizard.KeepAsync(bobId, alice.RunId, "finish"));
        Assert.Null(await bob.Wizard.Wizard.LoadAsync(bobId, alice.RunId));

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

    /// <summary>Watches the student's own panel (the shared poller's snapshots) until both targets are healthy and both of the expected pages answered.</summary>
    private async Task<PanelSnapshot> ReadPanelUntilBothPagesAnsweredAsync(Lab1Flow flow, string page1, string page2, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<PanelSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hub = _factory.Services.GetRequiredService<LivePanelHub>();
        await using (hub.Subscribe(flow.RunId, snapshot =>
        {
            var healthy = snapshot.Targets.Count(t => t.State == "healthy");
            if (healthy == 2 && snapshot.AnswersByPage.ContainsKey(page1) && snapshot.AnswersByPage.ContainsKey(page2))
            {
                done.TrySetResult(snapshot);
            }
        }))
        {
            return await done.Task.WaitAsync(cancellationToken);
        }
    }

    private static List<string> PageNames(PanelSnapshot snapshot) => [.. snapshot.Requests.Select(r => r.Page).Where(p => p is { Length: > 0 } and not "-")];

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
