using Amazon.EC2.Model;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox.Accounts;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// The reset teardown against dependencies the Lab 1 steps never make: two security groups whose
/// rules name each other (neither deletable first) and an Auto Scaling group whose instances hold
/// one of them (deletable only after the group and its instances are gone).
/// </summary>
[Trait("Category", "E2E")]
public sealed class TeardownOrderTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reset_revokes_cross_referencing_rules_and_waits_for_the_Auto_Scaling_group_before_deleting_groups()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "ORDER1");
        var classId = await PortalState.ClassIdAsync(factory, code);
        using var student = await Students.JoinAsync(factory, code, "Order Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Order Learner");

        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var account = await cloud.SandboxAccountForUserAsync(learnerId);
        var clients = cloud.SandboxClients(account, "ap-northeast-2");
        var vpcId = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "is-default", Values = ["true"] }] })).Vpcs![0].VpcId!;
        var subnetId = (await clients.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "vpc-id", Values = [vpcId] }] })).Subnets![0].SubnetId!;
        var web = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "order-web", Description = "web", VpcId = vpcId })).GroupId!;
        var alb = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "order-alb", Description = "alb", VpcId = vpcId })).GroupId!;
        await clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = web, IpPermissions = [FromGroup(alb)] });
        await clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = alb, IpPermissions = [FromGroup(web)] });
        var image = (await clients.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"], Filters = [new Amazon.EC2.Model.Filter { Name = "name", Values = ["al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64"] }] })).Images![0].ImageId!;
        var template = (await clients.Ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = "order-template",
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = image, InstanceType = "t3.micro", SecurityGroupIds = [web] },
        })).LaunchTemplate!.LaunchTemplateId!;
        await clients.AutoScaling.CreateAutoScalingGroupAsync(new LabPortal.Aws.AutoScaling.CreateAutoScalingGroupRequest
        {
            AutoScalingGroupName = "order-group",
            LaunchTemplate = new LabPortal.Aws.AutoScaling.LaunchTemplateSpecification { LaunchTemplateId = template, Version = "$Latest" },
            MinSize = 1,
            MaxSize = 1,
            DesiredCapacity = 1,
            VPCZoneIdentifier = subnetId,
        });
        await WaitForGroupInstanceAsync(clients);

        // The run's ledger in creation order, as the lab steps would have written it.
        var now = DateTime.UtcNow;
        var run = new LabRun { UserId = learnerId, LabId = "alb-two-web-servers", Status = LabRunStatus.Active, NamePrefix = "lporder", StartedAtUtc = now, LastActivityAtUtc = now, CloudAccountId = account.Id };
        db.LabRuns.Add(run);
        foreach (var (kind, id) in new[] { ("SecurityGroup", web), ("SecurityGroup", alb), ("LaunchTemplate", template), ("AutoScalingGroup", "order-group") })
        {
            run.Ledger.Add(new LedgerEntry { Kind = Enum.Parse<ResourceKind>(kind), Name = id, ResourceId = id, Region = "ap-northeast-2", State = LedgerState.Created, CreatedAtUtc = now });
        }

        await db.SaveChangesAsync();
        // Made as the lab would have: carrying the run's tag (a teardown deletes nothing without it: issue 13).
        await TagAsRunsAsync(clients, run.Id, [web, alb, template], ["order-group"]);

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode);

        var report = await PortalState.WaitForAsync(factory, async d => await new ResetProgress(d).ForLearnerAsync(classId, learnerId), r => r.RunsTotal > 0 && r.Finished, "the reset", seconds: 120);
        var progress = Assert.Single(report.Runs);
        Assert.True(progress.State == ResetState.Succeeded, progress.Detail);
        Assert.Equal(4, progress.ResourcesTotal);
        Assert.Equal(0, progress.ResourcesLeft);
        var left = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    [Fact]
    public async Task Reset_revokes_egress_rules_that_name_another_group_of_the_run_before_deleting_groups()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "ORDER2");
        var classId = await PortalState.ClassIdAsync(factory, code);
        using var student = await Students.JoinAsync(factory, code, "Egress Learner");
        var learnerId = await PortalState.UserIdAsync(factory, "Egress Learner");

        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var account = await cloud.SandboxAccountForUserAsync(learnerId);
        var clients = cloud.SandboxClients(account, "ap-northeast-2");
        var vpcId = (await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Amazon.EC2.Model.Filter { Name = "is-default", Values = ["true"] }] })).Vpcs![0].VpcId!;
        var app = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "egress-app", Description = "app", VpcId = vpcId })).GroupId!;
        var database = (await clients.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "egress-db", Description = "db", VpcId = vpcId })).GroupId!;
        // The app's group may only send to the database's group; nothing refers to the app's group in
        // an inbound rule, so an ingress-only revoke leaves the database's group undeletable.
        await clients.Ec2.RevokeSecurityGroupEgressAsync(new RevokeSecurityGroupEgressRequest { GroupId = app, IpPermissions = [new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }] });
        await clients.Ec2.AuthorizeSecurityGroupEgressAsync(new AuthorizeSecurityGroupEgressRequest { GroupId = app, IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, UserIdGroupPairs = [new UserIdGroupPair { GroupId = database }] }] });
        var blocked = await Assert.ThrowsAsync<Amazon.EC2.AmazonEC2Exception>(() => clients.Ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = database }));
        Assert.Equal("DependencyViolation", blocked.ErrorCode);

        var now = DateTime.UtcNow;
        var run = new LabRun { UserId = learnerId, LabId = "alb-two-web-servers", Status = LabRunStatus.Active, NamePrefix = "lpegress", StartedAtUtc = now, LastActivityAtUtc = now, CloudAccountId = account.Id };
        db.LabRuns.Add(run);
        // The database's group first in the ledger: it is deleted first and would be refused while the app's egress rule names it.
        foreach (var id in new[] { database, app })
        {
            run.Ledger.Add(new LedgerEntry { Kind = ResourceKind.SecurityGroup, Name = id, ResourceId = id, Region = "ap-northeast-2", State = LedgerState.Created, CreatedAtUtc = now });
        }

        await db.SaveChangesAsync();
        await TagAsRunsAsync(clients, run.Id, [database, app], []);

        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var token = await PortalState.AntiforgeryTokenAsync(instructor, "/classes");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await PortalState.ResetAsync(instructor, $"/classes/{classId}/learners/{learnerId}/reset", token)).StatusCode);

        var report = await PortalState.WaitForAsync(factory, async d => await new ResetProgress(d).ForLearnerAsync(classId, learnerId), r => r.RunsTotal > 0 && r.Finished, "the reset", seconds: 120);
        var progress = Assert.Single(report.Runs);
        Assert.True(progress.State == ResetState.Succeeded, progress.Detail);
        Assert.Equal(0, progress.ResourcesLeft);
        var left = await factory.Services.GetRequiredService<ISandboxAccounts>().ListResourcesAsync(account.AccountId);
        Assert.True(left.Count == 0, "Left behind: " + string.Join(", ", left.Select(r => $"{r.ResourceType} {r.ResourceId}")));
    }

    private static async Task TagAsRunsAsync(AwsClients clients, int runId, string[] ec2Ids, string[] groups)
    {
        var run = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await clients.Ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. ec2Ids], Tags = [new Amazon.EC2.Model.Tag("lab-portal:run", run)] });
        if (groups.Length > 0)
        {
            await clients.AutoScaling.CreateOrUpdateTagsAsync(new LabPortal.Aws.AutoScaling.CreateOrUpdateTagsRequest
            {
                Tags = [.. groups.Select(g => new LabPortal.Aws.AutoScaling.Tag { ResourceId = g, ResourceType = "auto-scaling-group", Key = "lab-portal:run", Value = run, PropagateAtLaunch = false })],
            });
        }
    }

    private static IpPermission FromGroup(string groupId) =>
        new() { IpProtocol = "tcp", FromPort = 80, ToPort = 80, UserIdGroupPairs = [new UserIdGroupPair { GroupId = groupId }] };

    private static async Task WaitForGroupInstanceAsync(AwsClients clients)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var described = await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
            if ((described.Reservations ?? []).SelectMany(r => r.Instances ?? []).Any(i => i.State?.Name == "running"))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The Auto Scaling group never launched its instance.");
            await Task.Delay(200);
        }
    }
}
