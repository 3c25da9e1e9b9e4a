using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Live;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Live;

/// <summary>
/// Which AWS call budget a portal's calls go through: on PostgreSQL the shared one in the database (every node's calls
/// count against one bucket per account), on SQLite the portal's in-process buckets only.
/// </summary>
public sealed class PortalCallBudgetTests
{
    [Fact]
    [Trait("Category", "PostgreSQL")]
    public async Task Portal_on_PostgreSQL_takes_its_AWS_calls_from_the_shared_budget_in_the_database()
    {
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, PortalFactory.OnSandbox(), database: TestDatabaseProvider.PostgreSql);
        Assert.IsType<PostgresCallBudget>(factory.Services.GetRequiredService<IAwsCallBudget>());

        // A student's step calls EC2 in the sandbox through the portal's one client factory.
        var flow = await Lab1Flow.StartAsync(factory, "budget-student");
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));

        // The calls took tokens from rows in the portal's database: a row is made full, and every take leaves it at
        // least one token short of the bucket's capacity.
        var rows = new List<(string Bucket, double Tokens)>();
        await using (var read = factory.Services.GetRequiredService<NodeDatabase>().DataSource.CreateCommand("SELECT bucket, tokens FROM labportal_call_budget"))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetDouble(1)));
            }
        }

        var ec2 = rows.Where(r => r.Bucket.Split('|') is [{ Length: > 0 }, { Length: > 0 }, "ec2", _]).ToList();
        Assert.NotEmpty(ec2);
        Assert.Contains(ec2, r =>
        {
            var (_, limit) = AwsRateLimiter.BucketFor("ec2", r.Bucket.Split('|')[3] switch { "mutating" => "CreateSecurityGroup", "non-mutating" => "DescribeVpcs", var action => action });
            return r.Tokens <= limit.Capacity - 1;
        });
    }

    [Fact]
    public async Task Portal_on_SQLite_keeps_to_its_in_process_buckets()
    {
        using var data = new TempDirectory();
        await using var factory = new PortalFactory(data.Path, PortalFactory.OnSandbox(), database: TestDatabaseProvider.Sqlite);

        Assert.Null(factory.Services.GetService<IAwsCallBudget>());
        Assert.Null(factory.Services.GetService<NodeDatabase>());
        Assert.NotNull(factory.Services.GetRequiredService<CloudClientFactory>());
    }
}
