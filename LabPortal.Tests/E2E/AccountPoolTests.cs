using Amazon.EC2;
using Amazon.Runtime;
using LabPortal.Aws.Core;
using LabPortal.Features.Classes;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
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

        var (flows, steps, third) = await TwoLearnersRunTheFirstCloudStepAndAThirdIsRefusedAsync(factory, "POOLSB");

        Lab1Flow.AssertSucceeded(steps[0]);
        Lab1Flow.AssertSucceeded(steps[1]);

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

        // The learner's next step works in their account (a real session expiry is crossed in the test below).
        Lab1Flow.AssertSucceeded(await flows[0].RunActionAsync("instances"));
        var instances = await inA.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest());
        Assert.Equal(2, instances.Reservations!.SelectMany(r => r.Instances!).Count(i => i.State!.Name == "running"));

        // The instructor resets the first learner: their runs are torn down, the account is scanned empty and
        // goes back to the pool, and the learner who was told the pool was exhausted now gets it.
        await ResetAsync(factory, "POOLSB", int.Parse(learner0, System.Globalization.CultureInfo.InvariantCulture));
        var returned = await ReadAsync(factory, db => db.CloudAccounts.Where(x => x.RoleArn != null && x.AccountId == a.AccountId).OrderBy(x => x.Id).ToListAsync());
        var thirdFlow = await Lab1Flow.StartAsync(factory.DataDirectory, third);
        await thirdFlow.PassQuizAsync("concepts");
        var retried = await thirdFlow.RunActionAsync("security-group");

        Assert.NotNull(returned.First().DeletedAtUtc);
        Assert.Empty(await LearnerTagsAsync(inA, learner0));
        Lab1Flow.AssertSucceeded(retried);
        Assert.Equal([(await thirdFlow.Wizard.UserIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)], await LearnerTagsAsync(inA));
        Assert.DoesNotContain((await inA.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest())).Reservations!.SelectMany(r => r.Instances!), i => i.State!.Name != "terminated");
    }

    [Fact]
    public async Task Sandbox_pool_credentials_are_renewed_across_real_session_expiries_for_a_step_and_for_the_reset()
    {
        // Sessions really end after 20 s (the sandbox's MaxSessionLifetime; AWS's shortest is 900 s). The portal
        // counts a session as expired Cloud:AssumeRoleExpiryMargin before its Expiration (the AWS SDK's one minute
        // by default, longer than these sessions: every call would assume the role again), here 10 s, and renews
        // it in the background from 5 s before that. A portal that never renewed would sign the next step and the
        // reset's teardown with an expired session, which the sandbox refuses as AWS does.
        await using var sandbox = await StartSandboxAsync(TimeSpan.FromSeconds(20));
        var portalKeys = await sandbox.CreateAccountAsync("portal");
        var a = await sandbox.CreateAccountAsync("pool-a");
        var settings = PoolSettings(sandbox.Endpoints.Api, portalKeys.AccessKeyId, portalKeys.SecretAccessKey, a.AccountId);
        settings["Cloud:AssumeRoleExpiryMargin"] = "00:00:10";
        settings["Cloud:AssumeRoleRefreshBefore"] = "00:00:05";
        await using var factory = new PortalFactory(_portalData.Path, settings);
        await Students.CreateClassAsync(factory, "POOLEX");
        var flow = await Lab1Flow.StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, "POOLEX", "Pool Choi"));
        var learner = await flow.Wizard.UserIdAsync();
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        var first = NewestSession(sandbox, a.AccountId);

        // The first session's keys expire: the sandbox refuses them with AWS's codes (EC2 RequestExpired, ELBv2 ExpiredToken 403).
        var ec2Refusal = await RefusedOnceExpiredAsync(sandbox, first);
        using var staleElb = new LabPortal.Aws.Elbv2.AmazonElasticLoadBalancingV2Client(new SessionAWSCredentials(first.AccessKeyId, first.SecretAccessKey, first.SessionToken ?? ""), new LabPortal.Aws.Elbv2.AmazonElasticLoadBalancingV2Config { ServiceURL = sandbox.Endpoints.Api.ToString(), AuthenticationRegion = Region });
        var elbRefusal = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => staleElb.DescribeLoadBalancersAsync(new LabPortal.Aws.Elbv2.DescribeLoadBalancersRequest()));

        // A step after the expiry works: the portal signed it with a renewed session.
        var afterExpiry = await flow.RunActionAsync("instances");
        var second = NewestSession(sandbox, a.AccountId);

        // The reset's teardown, once the second session expired too, still works and returns the account.
        await RefusedOnceExpiredAsync(sandbox, second);
        await ResetAsync(factory, "POOLEX", learner);
        using var inA = Direct(sandbox, a.AccessKeyId, a.SecretAccessKey);
        var left = (await inA.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest())).Reservations!.SelectMany(r => r.Instances!).Where(i => i.State!.Name != "terminated");

        Assert.Equal("RequestExpired", ec2Refusal.ErrorCode);
        Assert.Equal(("ExpiredToken", System.Net.HttpStatusCode.Forbidden), (elbRefusal.ErrorCode, elbRefusal.StatusCode));
        Lab1Flow.AssertSucceeded(afterExpiry);
        Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
        Assert.Empty(left);
        Assert.Empty(await LearnerTagsAsync(inA));
    }

    [Fact]
    public async Task Sandbox_pool_reset_cleans_untagged_resources_from_the_whole_account_scans_it_empty_and_returns_it_to_the_pool()
    {
        await using var sandbox = await StartSandboxAsync();
        var portalKeys = await sandbox.CreateAccountAsync("portal");
        var a = await sandbox.CreateAccountAsync("pool-a");
        await using var factory = new PortalFactory(_portalData.Path, PoolSettings(sandbox.Endpoints.Api, portalKeys.AccessKeyId, portalKeys.SecretAccessKey, a.AccountId));
        await Students.CreateClassAsync(factory, "POOLWP");
        var flow = await Lab1Flow.StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, "POOLWP", "Pool Han"));
        var learner = await flow.Wizard.UserIdAsync();
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));

        // The learner also made things by hand with the account's keys: no tags, nothing in the ledger. The
        // instance holds the hand-made group, so the group can go only after the instance terminated.
        var clients = factory.Services.GetRequiredService<CloudClientFactory>().For(new AwsCredential(Region, sandbox.Endpoints.Api, a.AccessKeyId, a.SecretAccessKey));
        var vpc = (await clients.Ec2.DescribeVpcsAsync(new Ec2Api.DescribeVpcsRequest { Filters = [new Ec2Api.Filter { Name = "is-default", Values = ["true"] }] })).Vpcs![0].VpcId!;
        var group = (await clients.Ec2.CreateSecurityGroupAsync(new Ec2Api.CreateSecurityGroupRequest { GroupName = "by-hand", Description = "made by hand", VpcId = vpc })).GroupId!;
        var image = (await clients.Ec2.DescribeImagesAsync(new Ec2Api.DescribeImagesRequest { Owners = ["amazon"], Filters = [new Ec2Api.Filter { Name = "name", Values = ["al2023-ami-*-x86_64"] }] })).Images!.OrderByDescending(i => i.CreationDate, StringComparer.Ordinal).First().ImageId!;
        var instance = (await clients.Ec2.RunInstancesAsync(new Ec2Api.RunInstancesRequest { ImageId = image, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1, SecurityGroupIds = [group] })).Reservation!.Instances![0].InstanceId!;
        var template = (await clients.Ec2.CreateLaunchTemplateAsync(new Ec2Api.CreateLaunchTemplateRequest { LaunchTemplateName = "by-hand", LaunchTemplateData = new Ec2Api.RequestLaunchTemplateData { ImageId = image, InstanceType = "t3.micro" } })).LaunchTemplate!.LaunchTemplateId!;
        var targetGroup = (await clients.Elbv2.CreateTargetGroupAsync(new LabPortal.Aws.Elbv2.CreateTargetGroupRequest { Name = "by-hand", Protocol = LabPortal.Aws.Elbv2.ProtocolEnum.HTTP, Port = 80, VpcId = vpc })).TargetGroups![0].TargetGroupArn!;

        // The orphan sweeper reads the learner's pool account through its role: the hand-made group is an orphan
        // of theirs (no run), the lab's security group is not (its run is live).
        var report = await ScanOrphansAsync(factory, "POOLWP");

        // The CLI access page hands the learner their pool account's role session: it reaches that account.
        var (_, cli) = await flow.Student.GetAsync("/cli-access");
        var shownAccount = cli.QuerySelector("#cli-account")?.TextContent;
        using var fromPage = new AmazonEC2Client(new SessionAWSCredentials(cli.QuerySelector("#cli-access-key")?.TextContent ?? "", cli.QuerySelector("#cli-secret-key")?.TextContent ?? "", cli.QuerySelector("#cli-session-token")?.TextContent ?? ""), Config(sandbox));
        var ownerSeenWithPageKeys = (await fromPage.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest())).SecurityGroups![0].OwnerId;
        var labGroup = (await flow.LedgerAsync()).Single(e => e.Kind == ResourceKind.SecurityGroup).ResourceId;

        await ResetAsync(factory, "POOLWP", learner);

        var everything = await Features.LabRuns.Teardown.TaggedResourceScanner.ScanAsync(clients, Region, null, null, CancellationToken.None);
        var instanceState = (await clients.Ec2.DescribeInstancesAsync(new Ec2Api.DescribeInstancesRequest { InstanceIds = [instance] })).Reservations!.SelectMany(r => r.Instances!).Single().State!.Name!.Value;
        var groups = (await clients.Ec2.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest())).SecurityGroups!.Select(g => g.GroupId).ToList();
        var templates = (await clients.Ec2.DescribeLaunchTemplatesAsync(new Ec2Api.DescribeLaunchTemplatesRequest())).LaunchTemplates!.Select(t => t.LaunchTemplateId).ToList();
        var targetGroups = (await clients.Elbv2.DescribeTargetGroupsAsync(new LabPortal.Aws.Elbv2.DescribeTargetGroupsRequest())).TargetGroups!.Select(t => t.TargetGroupArn).ToList();
        var audit = await ReadAsync(factory, db => db.Audit.Where(e => e.SubjectUserId == learner && e.Action == Infrastructure.Audit.AuditActions.Teardown).OrderByDescending(e => e.Id).Select(e => e.Detail).FirstAsync());

        // Back in the pool: the next learner to press Start is given the same account.
        var next = await Lab1Flow.StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, "POOLWP", "Pool Yoon"));
        var nextAccountRow = await ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == next.RunId).Select(r => r.CloudAccountId).SingleAsync());
        var nextAccount = await ReadAsync(factory, db => db.CloudAccounts.Where(c => c.Id == nextAccountRow).Select(c => c.AccountId).SingleAsync());

        Assert.Equal(a.AccountId, shownAccount);
        Assert.Equal(a.AccountId, ownerSeenWithPageKeys);
        Assert.Empty(report.Errors);
        Assert.Contains(report.Orphans, o => o.Resource.ResourceId == group && o.UserId == learner && o.Reason == Features.Cleanup.OrphanReason.NoRun);
        Assert.Contains(report.Orphans, o => o.Resource.ResourceId == instance && o.UserId == learner);
        Assert.DoesNotContain(report.Orphans, o => o.Resource.ResourceId == labGroup);
        Assert.Empty(everything.Select(r => r.Describe));
        Assert.Equal("terminated", instanceState);
        Assert.DoesNotContain(group, groups);
        Assert.DoesNotContain(template, templates);
        Assert.DoesNotContain(targetGroup, targetGroups);
        Assert.Contains($"Pool account {a.AccountId} cleaned, scanned empty", audit, StringComparison.Ordinal);
        Assert.Equal(a.AccountId, nextAccount);
    }

    private static async Task<Features.Cleanup.OrphanReport> ScanOrphansAsync(PortalFactory factory, string code)
    {
        using var scope = factory.Services.CreateScope();
        var classId = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Classrooms.Where(c => c.JoinCode == code).Select(c => c.Id).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<Features.Cleanup.OrphanSweeper>().ScanAsync(classId);
    }

    /// <summary>The newest STS session the sandbox issued into the account (the one the portal signs with now).</summary>
    private static SandboxAccount NewestSession(SandboxServer sandbox, string accountId) =>
        sandbox.Services.GetRequiredService<SandboxAccountStore>().SessionsOf(accountId)[^1];

    /// <summary>Calls EC2 with one session's keys until the sandbox refuses them (the session expired); returns the refusal.</summary>
    private static async Task<AmazonServiceException> RefusedOnceExpiredAsync(SandboxServer sandbox, SandboxAccount session)
    {
        using var stale = new AmazonEC2Client(new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken ?? ""), Config(sandbox));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                await stale.DescribeSecurityGroupsAsync(new Ec2Api.DescribeSecurityGroupsRequest());
            }
            catch (AmazonServiceException refused)
            {
                return refused;
            }

            Assert.True(DateTime.UtcNow < deadline, "The session was still accepted two minutes later.");
            await Task.Delay(500);
        }
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
        // Returned to the pool, and the teardown's last word written (the run TornDown with its audit entry).
        while (await ReadAsync(factory, db => db.CloudAccounts.AnyAsync(x => x.UserId == learnerId && x.DeletedAtUtc == null))
            || await ReadAsync(factory, db => db.LabRuns.AnyAsync(r => r.UserId == learnerId && r.Status == LabRunStatus.TearingDown)))
        {
            var failed = await ReadAsync(factory, db => db.Audit.Where(e => e.SubjectUserId == learnerId && e.Action == Infrastructure.Audit.AuditActions.Teardown && e.Outcome == Infrastructure.Audit.AuditLog.Failed).Select(e => e.Detail).FirstOrDefaultAsync());
            Assert.True(failed is null, $"The reset's teardown failed: {failed}");
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

    // The expiry tests run on the sandbox only: moto (5.2.1 here) answers AssumeRole with an Expiration but no
    // service of it ever checks one, so an expired session keeps working there and a broken renewal could not fail.
    [Fact]
    public async Task Moto_pool_of_two_serves_two_learners_in_their_own_accounts_and_tells_the_third_it_is_exhausted()
    {
        var moto = new Aws.Contract.Moto.MotoServerFixture();
        await moto.InitializeAsync();
        try
        {
            await using var factory = new PortalFactory(_portalData.Path, PoolSettings(moto.Endpoint, moto.AccessKey, moto.SecretKey, "111111111111", "222222222222"));

            var (flows, steps, _) = await TwoLearnersRunTheFirstCloudStepAndAThirdIsRefusedAsync(factory, "POOLMT");

            Lab1Flow.AssertSucceeded(steps[0]);
            Lab1Flow.AssertSucceeded(steps[1]);
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

    private static Dictionary<string, string?> PoolSettings(Uri endpoint, string accessKey, string secretKey, string accountA, string accountB)
    {
        var settings = PoolSettings(endpoint, accessKey, secretKey, accountA);
        settings["Cloud:AccountPool:1:RoleArn"] = $"arn:aws:iam::{accountB}:role/LabPortalLearner";
        return settings;
    }

    private static Dictionary<string, string?> PoolSettings(Uri endpoint, string accessKey, string secretKey, string accountA) => new()
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
        // AWS's shortest session, renewed the default 5 minutes early. (A margin within a minute of the whole session
        // renews on every call, since the AWS SDK for .NET counts credentials expired a minute early, and that loses
        // the race between a request's key and its token now and then: AuthFailure.)
        ["Cloud:AssumeRoleDuration"] = "00:15:00",
    };

    private Task<SandboxServer> StartSandboxAsync(TimeSpan? maxSessionLifetime = null) => SandboxServer.StartAsync(new SandboxOptions
    {
        ApiPort = 0,
        DataPlanePort = 0,
        TimeScale = 200,
        DataDirectory = _sandboxData.Path,
        MaxSessionLifetime = maxSessionLifetime,
    });

    /// <summary>
    /// Two learners start Lab 1 (each is given a pool account as the run starts) and run its first cloud step; a
    /// third presses "Start lab" with the pool of two exhausted: the labs page tells them why in English and
    /// Korean, and nothing was created for them (no run, no account). Returns the third learner's client.
    /// </summary>
    private static async Task<(List<Lab1Flow> Flows, List<StepRun> Steps, PortalClient Third)> TwoLearnersRunTheFirstCloudStepAndAThirdIsRefusedAsync(PortalFactory factory, string code)
    {
        await Students.CreateClassAsync(factory, code);
        var flows = new List<Lab1Flow>();
        var steps = new List<StepRun>();
        foreach (var name in new[] { "Pool Kim", "Pool Lee" })
        {
            var flow = await Lab1Flow.StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, code, name));

            // The account is the run's from its start, before any step.
            var assigned = await ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == flow.RunId).Select(r => r.CloudAccountId).SingleAsync());
            Assert.NotNull(assigned);
            await flow.PassQuizAsync("concepts");
            steps.Add(await flow.RunActionAsync("security-group"));
            flows.Add(flow);
        }

        var third = await Students.JoinAsync(factory, code, "Pool Park");
        await AssertStartRefusedAsync(factory, third);
        return (flows, steps, third);
    }

    private static async Task AssertStartRefusedAsync(PortalFactory factory, PortalClient student)
    {
        var (refused, _) = await student.SubmitAsync("/labs", "#start-" + Lab1Flow.Lab.Id, new Dictionary<string, string>());
        Assert.Equal(System.Net.HttpStatusCode.Redirect, refused.StatusCode);
        var location = refused.Headers.Location!.OriginalString;
        Assert.StartsWith($"/labs?{Features.LabRuns.LabsPage.PoolExhaustedQuery}=", location, StringComparison.Ordinal);
        Assert.Contains("in use by another student", await PageTextAsync(student, location, "en"), StringComparison.Ordinal);
        Assert.Contains("다른 학생이 쓰고 있어", await PageTextAsync(student, location, "ko"), StringComparison.Ordinal);

        var userId = await new WizardDriver(student).UserIdAsync();
        Assert.False(await ReadAsync(factory, db => db.LabRuns.AnyAsync(r => r.UserId == userId)));
        Assert.False(await ReadAsync(factory, db => db.CloudAccounts.AnyAsync(a => a.UserId == userId)));
    }

    private static async Task<string> PageTextAsync(PortalClient student, string path, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await student.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = await AngleSharp.BrowsingContextExtensions.OpenAsync(AngleSharp.BrowsingContext.New(AngleSharp.Configuration.Default), r => r.Content(html));
        return page.QuerySelector("#pool-exhausted")?.TextContent ?? "";
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
