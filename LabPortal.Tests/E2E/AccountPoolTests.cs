using Amazon.EC2;
using Amazon.Runtime;
using LabPortal.Aws.Core;
using LabPortal.Features.Classes;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ec2Api = Amazon.EC2.Model;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Issue 17, the account pool: <c>Cloud:AccountStrategy=AccountPool</c> gives each learner an AWS account of
/// their own, entered through STS AssumeRole. Against the sandbox (its STS answers for its own accounts, so
/// the flow runs offline) and against moto (which implements AssumeRole and keeps accounts apart).
/// </summary>
[Trait("Category", "E2E")]
public sealed class AccountPoolTests : IDisposable
{
    private const string Region = "ap-northeast-2";

    private readonly TempDirectory _sandboxData = new("labportal-pool-sandbox");
    private readonly TempDirectory _portalData = new("labportal-pool");

    public void Dispose()
    {
        _portalData.Dispose();
        _sandboxData.Dispose();
    }

    [Fact]
    public async Task Sandbox_pool_of_two_serves_two_learners_in_their_own_accounts_tells_the_third_it_is_exhausted_and_a_reset_returns_an_account()
    {
        await using var sandbox = await StartSandboxAsync();
        var portalKeys = await sandbox.CreateAccountAsync("portal");
        var a = await sandbox.CreateAccountAsync("pool-a");
        var b = await sandbox.CreateAccountAsync("pool-b");
        await using var factory = new PortalFactory(_portalData.Path, PoolSettings(sandbox.Endpoints.Api, portalKeys.AccessKeyId, portalKeys.SecretAccessKey, a.AccountId, b.AccountId));

        var (flows, steps) = await ThreeLearnersRunTheFirstCloudStepAsync(factory, "POOLSB");

        Lab1Flow.AssertSucceeded(steps[0]);
        Lab1Flow.AssertSucceeded(steps[1]);
        AssertExhausted(steps[2]);

        // Each learner's security group is in their account only; the portal's own account holds nothing.
        var learner0 = (await flows[0].Wizard.UserIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var learner1 = (await flows[1].Wizard.UserIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var inA = Direct(sandbox, a.AccessKeyId, a.SecretAccessKey);
        using var inB = Direct(sandbox, b.AccessKeyId, b.SecretAccessKey);
        using var inPortal = Direct(sandbox, portalKeys.AccessKeyId, portalKeys.SecretAccessKey);
        Assert.Equal([learner0], await LearnerTagsAsync(inA));
        Assert.Equal([learner1], await LearnerTagsAsync(inB));
        Assert.Empty(await LearnerTagsAsync(inPortal));

        // The assignment is persisted and the instructor sees it.
        var assignments = await AssignmentsAsync(factory, "POOLSB");
        Assert.Equal([(learner0, a.AccountId), (learner1, b.AccountId)], assignments.Select(x => (x.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), x.AccountId)).Order());

        // Past the point where the first session is renewed (900 s sessions renewed 897 s early: after 3 s), the learner's next step still works.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Lab1Flow.AssertSucceeded(await flows[0].RunActionAsync("instances"));
        var instances = await inA.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest());
        Assert.Equal(2, instances.Reservations!.SelectMany(r => r.Instances!).Count(i => i.State!.Name == "running"));

        // The instructor resets the first learner: their runs are torn down, the account is scanned empty and
        // goes back to the pool, and the learner who was told the pool was exhausted now gets it.
        await ResetAsync(factory, "POOLSB", int.Parse(learner0, System.Globalization.CultureInfo.InvariantCulture));
        var returned = await ReadAsync(factory, db => db.CloudAccounts.Where(x => x.RoleArn != null && x.AccountId == a.AccountId).OrderBy(x => x.Id).ToListAsync());
        var retried = await flows[2].RunActionAsync("security-group");

        Assert.NotNull(returned.First().DeletedAtUtc);
        Assert.Empty(await LearnerTagsAsync(inA, learner0));
        Lab1Flow.AssertSucceeded(retried);
        Assert.Equal([(await flows[2].Wizard.UserIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)], await LearnerTagsAsync(inA));
        Assert.DoesNotContain((await inA.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest())).Reservations!.SelectMany(r => r.Instances!), i => i.State!.Name != "terminated");
    }

    private static async Task ResetAsync(PortalFactory factory, string code, int learnerId)
    {
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var classId = await db.Classrooms.Where(c => c.JoinCode == code).Select(c => c.Id).SingleAsync();
            var instructorId = await db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync();
            var (result, runs) = await scope.ServiceProvider.GetRequiredService<Features.Cleanup.ResetService>().ResetLearnerAsync(classId, instructorId, learnerId);
            Assert.Equal((Features.Cleanup.ResetResult.Started, 1), (result, runs));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (await ReadAsync(factory, db => db.CloudAccounts.AnyAsync(x => x.UserId == learnerId && x.DeletedAtUtc == null)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The reset did not return the pool account in time.");
            await Task.Delay(250);
        }
    }

    private static async Task<T> ReadAsync<T>(PortalFactory factory, Func<PortalDbContext, Task<T>> read)
    {
        using var scope = factory.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    [Fact]
    public async Task Sandbox_STS_sessions_work_as_the_role_account_and_refreshing_credentials_renew_them_before_they_expire()
    {
        await using var sandbox = await StartSandboxAsync();
        var caller = await sandbox.CreateAccountAsync("portal");
        var target = await sandbox.CreateAccountAsync("pool-a");

        // A 900 s session renewed 897 s before it expires: renewed after 3 s (the test's shortened expiry).
        using var assumed = new StsAssumeRoleCredentials(
            AwsCredentials.Static(caller.AccessKeyId, caller.SecretAccessKey),
            $"arn:aws:iam::{target.AccountId}:role/LabPortalLearner",
            "lab-portal-7-kim",
            Region,
            sandbox.Endpoints.Api,
            TimeSpan.FromSeconds(900),
            new StsSessionOptions { ExternalId = "class-2026", Tags = new Dictionary<string, string> { ["lab-portal:learner"] = "7" }, RefreshBefore = TimeSpan.FromSeconds(897) });
        using var refreshing = new AmazonEC2Client(assumed, Config(sandbox));

        var owner = (await refreshing.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest())).SecurityGroups![0].OwnerId;
        var first = await assumed.GetCredentialsAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var again = await refreshing.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest());
        var second = await assumed.GetCredentialsAsync();
        using var forged = new AmazonEC2Client(new SessionAWSCredentials(second.AccessKey, second.SecretKey, first.Token), Config(sandbox));
        var wrongToken = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => forged.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest()));

        Assert.StartsWith("ASIA", first.AccessKey, StringComparison.Ordinal);
        Assert.Equal(target.AccountId, owner);
        Assert.Equal(target.AccountId, again.SecurityGroups![0].OwnerId);
        Assert.NotEqual(first.AccessKey, second.AccessKey);
        Assert.Equal("AuthFailure", wrongToken.ErrorCode);
    }

    [Fact]
    public async Task Moto_pool_of_two_serves_two_learners_in_their_own_accounts_and_tells_the_third_it_is_exhausted()
    {
        var moto = new Aws.Contract.Moto.MotoServerFixture();
        await moto.InitializeAsync();
        try
        {
            await using var factory = new PortalFactory(_portalData.Path, PoolSettings(moto.Endpoint, moto.AccessKey, moto.SecretKey, "111111111111", "222222222222"));

            var (flows, steps) = await ThreeLearnersRunTheFirstCloudStepAsync(factory, "POOLMT");

            Lab1Flow.AssertSucceeded(steps[0]);
            Lab1Flow.AssertSucceeded(steps[1]);
            AssertExhausted(steps[2]);
            using var scope = factory.Services.CreateScope();
            var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
            var seen = new List<(string Account, IReadOnlyList<string> Learners)>();
            foreach (var flow in flows.Take(2))
            {
                var account = await cloud.PoolAccountForUserAsync(await flow.Wizard.UserIdAsync());
                var clients = await cloud.PoolClientsAsync(account, Region);
                seen.Add((account.AccountId, await LearnerTagsAsync(clients.Ec2)));
            }

            var shared = cloud.SharedAccountClients(Region);
            var learner0 = (await flows[0].Wizard.UserIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var learner1 = (await flows[1].Wizard.UserIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(["111111111111:" + learner0, "222222222222:" + learner1], seen.Select(x => x.Account + ":" + string.Join(",", x.Learners)));
            Assert.Empty(await LearnerTagsAsync(shared.Ec2));
        }
        finally
        {
            await moto.DisposeAsync();
        }
    }

    private static Dictionary<string, string?> PoolSettings(Uri endpoint, string accessKey, string secretKey, string accountA, string accountB) => new()
    {
        ["Labs:Directory"] = Lab1Flow.ShippedLabs,
        ["Sandbox:Enabled"] = "false",
        ["Cloud:Mode"] = "Aws",
        ["Cloud:AwsServiceUrl"] = endpoint.ToString(),
        ["Cloud:AwsAccessKeyId"] = accessKey,
        ["Cloud:AwsSecretAccessKey"] = secretKey,
        ["Cloud:AccountStrategy"] = "AccountPool",
        ["Cloud:AccountPool:0:RoleArn"] = $"arn:aws:iam::{accountA}:role/LabPortalLearner",
        ["Cloud:AccountPool:0:ExternalId"] = "class-2026",
        ["Cloud:AccountPool:1:RoleArn"] = $"arn:aws:iam::{accountB}:role/LabPortalLearner",
        ["Cloud:AssumeRoleDuration"] = "00:15:00",
        ["Cloud:AssumeRoleRefreshBefore"] = "00:14:57",
    };

    private Task<SandboxServer> StartSandboxAsync() => SandboxServer.StartAsync(new SandboxOptions
    {
        ApiPort = 0,
        DataPlanePort = 0,
        TimeScale = 200,
        DataDirectory = _sandboxData.Path,
    });

    private static async Task<(List<Lab1Flow> Flows, List<StepRun> Steps)> ThreeLearnersRunTheFirstCloudStepAsync(PortalFactory factory, string code)
    {
        await Students.CreateClassAsync(factory, code);
        var flows = new List<Lab1Flow>();
        var steps = new List<StepRun>();
        foreach (var name in new[] { "Pool Kim", "Pool Lee", "Pool Park" })
        {
            var flow = await Lab1Flow.StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, code, name));
            await flow.PassQuizAsync("concepts");
            steps.Add(await flow.RunActionAsync("security-group"));
            flows.Add(flow);
        }

        return (flows, steps);
    }

    private static void AssertExhausted(StepRun step)
    {
        Assert.Equal(StepRunStatus.Failed, step.Status);
        Assert.Equal(AccountPoolExhaustedException.Code, step.ErrorCode);
        Assert.Contains("in use by another student", step.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("다른 학생이 쓰고 있어", step.ErrorMessage, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<PoolAssignment>> AssignmentsAsync(PortalFactory factory, string code)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var classId = await db.Classrooms.Where(c => c.JoinCode == code).Select(c => c.Id).SingleAsync();
        var instructorId = await db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync();
        return (await scope.ServiceProvider.GetRequiredService<ClassGuardrailsService>().PoolAssignmentsAsync(classId, instructorId))!;
    }

    private static async Task<IReadOnlyList<string>> LearnerTagsAsync(IAmazonEC2 ec2, string? learner = null)
    {
        var groups = await ec2.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest { Filters = [new Ec2Api.Filter { Name = "tag-key", Values = ["lab-portal:learner"] }] });
        return [.. groups.SecurityGroups!.SelectMany(g => g.Tags!).Where(t => t.Key == "lab-portal:learner" && (learner is null || t.Value == learner)).Select(t => t.Value!).Distinct().Order(StringComparer.Ordinal)];
    }

    private static AmazonEC2Client Direct(SandboxServer sandbox, string accessKey, string secretKey) =>
        new(new BasicAWSCredentials(accessKey, secretKey), Config(sandbox));

    private static AmazonEC2Config Config(SandboxServer sandbox) => new() { ServiceURL = sandbox.Endpoints.Api.ToString(), AuthenticationRegion = Region };
}
