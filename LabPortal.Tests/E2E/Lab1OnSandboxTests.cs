using Amazon.EC2.Model;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>Lab 1 through the pages on the in-process sandbox, with real instance web servers.</summary>
[Trait("Category", "E2E")]
public sealed class Lab1OnSandboxTests : IAsyncLifetime
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
    public async Task Student_builds_the_security_group_and_two_web_servers_that_serve_the_blog_pages()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Sandbox Student");
        await flow.PassQuizAsync("concepts");

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));

        var outputs = await flow.OutputsAsync();
        var endpoints = _factory.Services.GetRequiredService<SandboxEndpoints>();
        using var http = new HttpClient();
        foreach (var (index, page) in new[] { (1, "gosim web page 01"), (2, "gosim web page 02") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, endpoints.DataPlane);
            request.Headers.Host = outputs[$"instance{index}PublicDns"];
            var body = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
            Assert.Contains(page, body, StringComparison.Ordinal);
        }

        // The ledger and the cloud agree: exactly the two instances and the one group, all created.
        var ledger = await flow.LedgerAsync();
        Assert.All(ledger, e => Assert.Equal(LedgerState.Created, e.State));
        var instanceIds = ledger.Where(e => e.Kind == ResourceKind.Instance).Select(e => e.ResourceId).Order().ToList();
        Assert.Equal(2, instanceIds.Count);
        var clients = await LearnerClientsAsync();
        var described = await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        var cloudIds = (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(i => (string?)i.InstanceId).Order().ToList();
        Assert.Equal(instanceIds, cloudIds);
    }

    [Fact]
    public async Task Student_completes_Lab_1_sees_both_pages_alternate_on_the_live_panel_and_teardown_leaves_nothing()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Whole Lab");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));
        Lab1Flow.AssertNoneFailed(await flow.CheckAsync("open-instances"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("target-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("load-balancer"));

        // Targets pass their first health check shortly after the listener exists (scaled time).
        var verdicts = await EventuallyAsync(() => flow.CheckAsync("verify-traffic"), v => v.Values.All(x => x.StartsWith("Passed", StringComparison.Ordinal)));
        Assert.All(verdicts.Values, v => Assert.StartsWith("Passed", v, StringComparison.Ordinal));

        var panel = await PanelWatch.UntilAsync(_factory.Services, flow.RunId, p => p.AnswersByPage.Count >= 2 && p.Targets.Count == 2);
        Assert.Equal(["healthy", "healthy"], panel.Targets.Select(t => t.State));
        Assert.Contains("gosim web page 01", panel.AnswersByPage.Keys);
        Assert.Contains("gosim web page 02", panel.AnswersByPage.Keys);

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("finish"));

        Assert.All(await flow.LedgerAsync(), e => Assert.Equal(LedgerState.Deleted, e.State));
        using var scope = _factory.Services.CreateScope();
        var account = scope.ServiceProvider.GetRequiredService<PortalDbContext>().CloudAccounts.Single();
        var left = await _factory.Services.GetRequiredService<LabPortal.Sandbox.Accounts.ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    [Fact]
    public async Task Rerunning_the_instances_step_launches_no_third_instance()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Retry Student");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));

        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));

        var clients = await LearnerClientsAsync();
        var described = await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        Assert.Equal(2, (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Count());
    }

    [Fact]
    public async Task Two_servers_in_one_zone_fail_the_step_with_a_clear_message_and_launch_nothing()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Same Zone");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));

        var step = await flow.RunActionAsync("instances", new Dictionary<string, string> { ["Values[instance2Az]"] = "ap-northeast-2a" });

        Assert.Equal(StepRunStatus.Failed, step.Status);
        Assert.Equal("SameAvailabilityZone", step.ErrorCode);
        var (_, page) = await flow.GetStepAsync("instances");
        Assert.Contains("two different availability zones", page.QuerySelector("#step-status-text")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(await flow.LedgerAsync(), e => e.Kind == ResourceKind.Instance);
    }

    [Fact]
    public async Task Instance_terminated_with_the_AWS_CLI_makes_Check_my_progress_say_what_is_missing()
    {
        var flow = await Lab1Flow.StartAsync(_factory, "Cli Student");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));
        Lab1Flow.AssertNoneFailed(await flow.CheckAsync("open-instances"));

        // The keys and endpoint exactly as the CLI access page shows them to the student.
        var (_, cliPage) = await flow.Student.GetAsync("/cli-access");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = cliPage.QuerySelector("#cli-access-key")!.TextContent.Trim(),
            ["AWS_SECRET_ACCESS_KEY"] = cliPage.QuerySelector("#cli-secret-key")!.TextContent.Trim(),
            ["AWS_DEFAULT_REGION"] = "ap-northeast-2",
        };
        var endpoint = cliPage.QuerySelector("#cli-endpoint")!.TextContent.Trim();
        var victim = (await flow.OutputsAsync())["instance2Id"];
        var (exit, output) = await Cli.RunAsync(environment, "aws", "--endpoint-url", endpoint, "ec2", "terminate-instances", "--instance-ids", victim);
        Assert.True(exit == 0, output);

        var verdicts = await flow.CheckAsync("open-instances");

        Assert.StartsWith("Failed", verdicts["InstancesRunning"], StringComparison.Ordinal);
        Assert.Contains(victim, verdicts["InstancesRunning"], StringComparison.Ordinal);
        Assert.Matches("shutting-down|terminated", verdicts["InstancesRunning"]);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(500);
        }
    }

    private async Task<AwsClients> LearnerClientsAsync()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var account = db.CloudAccounts.Single();
        var cloud = scope.ServiceProvider.GetRequiredService<LabPortal.Infrastructure.Cloud.LearnerCloud>();
        var (key, secret) = cloud.RevealKeys(account);
        var endpoints = _factory.Services.GetRequiredService<SandboxEndpoints>();
        return scope.ServiceProvider.GetRequiredService<CloudClientFactory>().For(new AwsCredential("ap-northeast-2", endpoints.Api, key, secret));
    }
}
