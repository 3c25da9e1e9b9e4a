using System.Text.Json;
using Amazon.EC2.Model;
using LabPortal.Aws.Elbv2;
using LabPortal.Features.LabRuns;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.E2E.Cleanup;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LabPortal.Tests.E2E;

/// <summary>
/// A learner who does Lab 1 with the AWS CLI only: every "same with the AWS CLI" block exactly as the
/// step page shows it (the environment lines for this portal's sandbox, this run's values), pasted
/// into bash with the learner's own keys, one after another, against the sandbox. The values a later
/// block needs from an earlier one (the run's outputs) are what the page would fill in: here they are
/// read back from the cloud, as the portal's own step would have recorded them. At the end the
/// finish block has left the account empty.
/// </summary>
[Trait("Category", "E2E")]
public sealed class Lab1CliOnSandboxTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new("labportal-cli");
    private readonly TempDirectory _work = new("labportal-cli-work");

    public void Dispose()
    {
        _work.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Every_Lab1_CLI_block_as_the_page_shows_it_runs_against_the_sandbox_and_the_finish_block_leaves_nothing()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "CLIONLY");
        using var student = await Students.JoinAsync(factory, code, "Cli Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        var userId = await driver.Wizard.UserIdAsync();
        var lab = driver.Lab;

        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var run = await PortalState.ReadAsync(factory, db => db.LabRuns.SingleAsync(r => r.Id == driver.RunId));
        var account = await cloud.SandboxAccountForAsync(run);
        var (key, secret) = cloud.RevealKeys(account);
        var clients = cloud.SandboxClients(account, lab.Region);
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _work.Path,
            ["AWS_ACCESS_KEY_ID"] = key,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_PAGER"] = "",
        };

        var blocks = 0;
        foreach (var step in lab.Steps.Where(s => !string.IsNullOrWhiteSpace(s.Cli)))
        {
            var wizard = factory.Services.GetRequiredService<LabWizard>();
            var view = await wizard.LoadAsync(userId, driver.RunId) ?? throw new InvalidOperationException("The run is gone.");
            var text = Assert.Single(factory.Services.GetRequiredService<CliCommands>().BlocksFor(view, step)).Text;
            Assert.Contains($"export AWS_ENDPOINT_URL={factory.Services.GetRequiredService<SandboxEndpoints>().Api.ToString().TrimEnd('/')}", text, StringComparison.Ordinal);

            var script = Path.Combine(_work.Path, $"{step.Id}.sh");
            await File.WriteAllTextAsync(script, text);
            var (exit, printed) = await Cli.RunAsync(environment, "bash", "-e", "-o", "pipefail", "-c", $"cd '{_work.Path}' && source './{step.Id}.sh'");
            output.WriteLine($"--- {step.Id}\n{printed}");
            Assert.True(exit == 0, $"The CLI block of {step.Id} failed ({exit}):\n{printed}\n--- the block:\n{text}");
            blocks++;

            await RecordOutputsAsync(factory, driver.RunId, await OutputsAfterAsync(step, view, clients));
        }

        Assert.Equal(lab.Steps.Count(s => !string.IsNullOrWhiteSpace(s.Cli)), blocks);
        Assert.True(blocks >= 5, $"Lab 1 has only {blocks} CLI blocks.");

        // The finish block tore down everything the other blocks made.
        var left = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    /// <summary>What the portal's own step would have recorded as the run's outputs, read back from the cloud after the block ran.</summary>
    private static async Task<Dictionary<string, string>> OutputsAfterAsync(StepDefinition step, RunView view, AwsClients clients)
    {
        string Value(string name) => view.Placeholders[name];
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (step.Id)
        {
            case "security-group":
                var vpc = Assert.Single((await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter("is-default", ["true"])] })).Vpcs);
                outputs["vpcId"] = vpc.VpcId;
                outputs["securityGroupId"] = await GroupIdAsync(clients, Value("groupName"));
                break;
            case "instances":
                foreach (var index in new[] { 1, 2 })
                {
                    var described = await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest
                    {
                        Filters = [new Filter("tag:Name", [Value($"instance{index}Name")]), new Filter("instance-state-name", ["running"])],
                    });
                    var instance = Assert.Single(described.Reservations.SelectMany(r => r.Instances));
                    outputs[$"instance{index}Id"] = instance.InstanceId;
                    outputs[$"instance{index}PublicDns"] = instance.PublicDnsName;
                    outputs[$"subnet{index}Id"] = instance.SubnetId;
                }

                break;
            case "target-group":
                var groups = await clients.Elbv2.DescribeTargetGroupsAsync(new DescribeTargetGroupsRequest { Names = [Value("targetGroupName")] });
                outputs["targetGroupArn"] = Assert.Single(groups.TargetGroups ?? []).TargetGroupArn!;
                break;
            case "load-balancer":
                outputs["albSecurityGroupId"] = await GroupIdAsync(clients, Value("albSecurityGroupName"));
                var balancers = await clients.Elbv2.DescribeLoadBalancersAsync(new DescribeLoadBalancersRequest { Names = [Value("loadBalancerName")] });
                var balancer = Assert.Single(balancers.LoadBalancers ?? []);
                Assert.Equal("active", balancer.State?.Code?.Value);
                outputs["loadBalancerArn"] = balancer.LoadBalancerArn!;
                outputs["loadBalancerDns"] = balancer.DNSName!;
                break;
        }

        return outputs;
    }

    private static async Task<string> GroupIdAsync(AwsClients clients, string name)
    {
        var groups = await clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("group-name", [name])] });
        return Assert.Single(groups.SecurityGroups).GroupId;
    }

    private static async Task RecordOutputsAsync(PortalFactory factory, int runId, Dictionary<string, string> outputs)
    {
        if (outputs.Count == 0)
        {
            return;
        }

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var run = await db.LabRuns.SingleAsync(r => r.Id == runId);
        var recorded = RunView.ReadJson(run.OutputsJson);
        foreach (var (name, value) in outputs)
        {
            recorded[name] = value;
        }

        run.OutputsJson = JsonSerializer.Serialize(recorded);
        await db.SaveChangesAsync();
    }
}
