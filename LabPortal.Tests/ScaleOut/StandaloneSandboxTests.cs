using System.Net;
using System.Net.Http.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Admin;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LabPortal.Tests.ScaleOut;

/// <summary>
/// The sandbox as its own process (<c>dotnet LabPortal.Sandbox.dll</c>, what <c>dotnet run --project LabPortal.Sandbox</c>
/// runs): the AWS SDK works against it, the portal's HTTP client of its admin API creates and reads accounts, a
/// SIGTERM stops it cleanly and its state comes back after a restart; the admin API refuses a missing or wrong key.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class StandaloneSandboxTests : IDisposable
{
    private const string Region = "ap-northeast-2";

    private readonly TempDirectory _folder = new("labportal-sandbox-process");
    private readonly string _key = "standalone-admin-key-" + Guid.NewGuid().ToString("N");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Standalone_sandbox_answers_the_AWS_SDK_and_keeps_its_state_across_a_SIGTERM_restart()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:AdminKey"] = _key,
        };
        SandboxAccount account;
        string groupId;
        var quotas = new SandboxAccountQuotas { AllowedInstanceTypes = ["t3.micro"], MaxInstances = 3, MaxLoadBalancers = 1, AllowedRegions = [Region] };
        var first = await SandboxProcess.StartAsync(_folder.Path, settings);
        try
        {
            using var admin = AdminClient(first);
            account = await admin.CreateAccountAsync("learner-a");
            Assert.Matches("^[1-9][0-9]{11}$", account.AccountId);
            Assert.True(await admin.SetQuotasAsync(account.AccountId, quotas));

            using (var ec2 = Ec2(first, account))
            {
                var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter("is-default", ["true"])] })).Vpcs.Single();
                groupId = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "web-sg", Description = "web servers", VpcId = vpc.VpcId })).GroupId;
                // The quotas set over the admin API hold for the learner's own keys, with AWS's code.
            }

            using (var elsewhere = Ec2(first, account, "us-east-1"))
            {
                var refused = await Assert.ThrowsAsync<AmazonEC2Exception>(() => elsewhere.DescribeVpcsAsync(new DescribeVpcsRequest()));
                Assert.Equal("UnauthorizedOperation", refused.ErrorCode);
            }

            var resources = await admin.ListResourcesAsync(account.AccountId);
            Assert.Contains(resources, r => r.ResourceId == groupId && r.Region == Region);

            // SIGTERM, as Ctrl+C or systemd: a clean stop with exit code 0.
            Assert.Equal(0, await first.StopAsync());
            Assert.Contains("Application is shutting down", first.Output, StringComparison.Ordinal);
        }
        finally
        {
            AssertKeyNeverPrinted(first);
            first.Dispose();
        }

        // The same folder: the default data folder ./sandbox-data holds its SQLite file.
        Assert.True(File.Exists(Path.Combine(_folder.Path, "sandbox-data", "sandbox.db")), "the standalone sandbox keeps its state in ./sandbox-data by default");
        using var second = await SandboxProcess.StartAsync(_folder.Path, settings);
        try
        {
            using var admin = AdminClient(second);
            var found = await admin.FindAccountAsync(account.AccountId);
            Assert.NotNull(found);
            Assert.Equal(account.AccessKeyId, found.AccessKeyId);
            Assert.Equal(quotas.MaxInstances, (await admin.FindQuotasAsync(account.AccountId))?.MaxInstances);
            using var ec2 = Ec2(second, account);
            var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [groupId] });
            Assert.Equal("web-sg", groups.SecurityGroups.Single().GroupName);

            Assert.True(await admin.DeleteAccountAsync(account.AccountId));
            Assert.Null(await admin.FindAccountAsync(account.AccountId));
            Assert.False(await admin.DeleteAccountAsync(account.AccountId));
        }
        finally
        {
            AssertKeyNeverPrinted(second);
        }
    }

    [Fact]
    public async Task Admin_API_refuses_a_missing_or_wrong_key_and_is_off_without_one()
    {
        using var sandbox = await SandboxProcess.StartAsync(_folder.Path, new Dictionary<string, string?>
        {
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:AdminKey"] = _key,
            ["Sandbox:DataDirectory"] = Path.Combine(_folder.Path, "keyed"),
        });
        using var http = new HttpClient { BaseAddress = sandbox.Api };

        // Health needs no key and tells nothing.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(SandboxAdminApi.HealthPath, UriKind.Relative))).StatusCode);

        var missing = await http.PostAsJsonAsync(SandboxAdminApi.AccountsPath, new CreateAccountRequest("nobody"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var missingError = await missing.Content.ReadFromJsonAsync<SandboxAdminError>(SandboxAdminApi.Json);
        Assert.Equal("InvalidAdminKey", missingError?.Code);
        Assert.Contains("Sandbox:AdminKey", missingError?.Message, StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, SandboxAdminApi.AccountsPath) { Headers = { { SandboxAdminApi.KeyHeader, _key + "x" } } };
        var wrongAnswer = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
        Assert.DoesNotContain(_key, await wrongAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The portal's client with a wrong key: the sandbox counts as unavailable, and says why (for /healthz and the logs).
        using (var portalSide = AdminClient(sandbox, key: "not-the-sandbox-key-at-all"))
        {
            var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => portalSide.CreateAccountAsync("nobody"));
            Assert.Contains("(401)", refused.Detail, StringComparison.Ordinal);
            Assert.Contains(SandboxUnavailableException.KoreanText, refused.Message, StringComparison.Ordinal);
        }

        // Nothing was created by the refused calls.
        using (var right = AdminClient(sandbox))
        {
            Assert.DoesNotContain(await right.ListAccountsAsync(), a => !a.IsPlayground);
        }

        AssertKeyNeverPrinted(sandbox);

        // A sandbox without a key has its admin API off altogether.
        using var keyless = await SandboxProcess.StartAsync(_folder.Path, new Dictionary<string, string?>
        {
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:DataDirectory"] = Path.Combine(_folder.Path, "keyless"),
        });
        using var anyKey = new HttpRequestMessage(HttpMethod.Get, new Uri(keyless.Api, SandboxAdminApi.AccountsPath)) { Headers = { { SandboxAdminApi.KeyHeader, _key } } };
        var off = await http.SendAsync(anyKey);
        Assert.Equal(HttpStatusCode.Forbidden, off.StatusCode);
        Assert.Equal("AdminApiDisabled", (await off.Content.ReadFromJsonAsync<SandboxAdminError>(SandboxAdminApi.Json))?.Code);
    }

    private RemoteSandboxAccounts AdminClient(SandboxProcess sandbox, string? key = null)
    {
        var options = Options.Create(new ExternalSandboxOptions { Enabled = false, ApiUrl = sandbox.Api, DataPlaneUrl = sandbox.DataPlane, AdminKey = key ?? _key });
        var connection = new SandboxConnection(new ServiceCollection().BuildServiceProvider(), options, TimeProvider.System);
        return new RemoteSandboxAccounts(options, connection, NullLogger<RemoteSandboxAccounts>.Instance);
    }

    private static AmazonEC2Client Ec2(SandboxProcess sandbox, SandboxAccount account, string region = Region) =>
        new(new BasicAWSCredentials(account.AccessKeyId, account.SecretAccessKey), new AmazonEC2Config { ServiceURL = sandbox.Api.ToString(), AuthenticationRegion = region, MaxErrorRetry = 0 });

    private void AssertKeyNeverPrinted(SandboxProcess sandbox) =>
        Assert.DoesNotContain(_key, sandbox.Output, StringComparison.Ordinal);
}
