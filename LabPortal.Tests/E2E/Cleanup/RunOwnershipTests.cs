using Amazon.EC2.Model;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ec2Filter = Amazon.EC2.Model.Filter;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Issue 13, "adoption only of what this run created": a security group found by the step's name is
/// the run's only when it carries the run's tag. One the learner made by hand with the same name is
/// never adopted: the step fails with the reason, the group's rules stay as they were and the ledger
/// does not claim it.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RunOwnershipTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Security_group_step_refuses_an_untagged_group_of_the_same_name_and_changes_nothing()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "OWNSG1");
        using var student = await Students.JoinAsync(factory, code, "Owner Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Owner Learner");
        var driver = await LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "alb-two-web-servers");
        await driver.FinishAllButTeardownAsync(stopBefore: "security-group");

        // Made by hand in the learner's account, untagged, with the name the step will use.
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var clients = cloud.SandboxClients(await cloud.SandboxAccountForUserAsync(learnerId), "ap-northeast-2");
        var vpcId = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Ec2Filter("is-default", ["true"])] })).Vpcs![0].VpcId!;
        var foreign = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "web-sg", Description = "made by hand", VpcId = vpcId })).GroupId!;
        await clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = foreign,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, Ipv4Ranges = [new IpRange { CidrIp = "10.0.0.0/8" }] }],
        });
        var rulesBefore = await RulesAsync(clients, foreign);

        var submitted = await driver.Wizard.SubmitAsShownAsync(driver.RunId, "security-group");
        Assert.True(submitted is { Succeeded: true }, "The form was refused.");
        var step = await driver.WaitForStepAsync("security-group");

        Assert.Equal(StepRunStatus.Failed, step.Status);
        Assert.Equal("ResourceNotOwned", step.ErrorCode);
        Assert.Contains("a security group named web-sg already exists in your account and was not made by this lab run: choose another name, or delete it", step.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(rulesBefore, await RulesAsync(clients, foreign));
        var ledger = await PortalState.ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId).ToListAsync());
        Assert.DoesNotContain(ledger, e => e.ResourceId == foreign);
        Assert.DoesNotContain(ledger, e => e.Kind == ResourceKinds.SecurityGroup);
        var outputs = await PortalState.ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == driver.RunId).Select(r => r.OutputsJson).SingleAsync());
        Assert.DoesNotContain(foreign, outputs, StringComparison.Ordinal);
    }

    private static async Task<List<string>> RulesAsync(AwsClients clients, string groupId)
    {
        var group = (await clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [groupId] })).SecurityGroups![0];
        return [.. (group.IpPermissions ?? []).Concat(group.IpPermissionsEgress ?? [])
            .SelectMany(p => (p.Ipv4Ranges ?? []).Select(r => $"{p.IpProtocol} {p.FromPort}-{p.ToPort} {r.CidrIp}")
                .Concat((p.UserIdGroupPairs ?? []).Select(g => $"{p.IpProtocol} {p.FromPort}-{p.ToPort} {g.GroupId}")))
            .Order(StringComparer.Ordinal)];
    }
}
