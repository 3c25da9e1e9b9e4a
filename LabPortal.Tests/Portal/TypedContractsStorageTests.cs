using System.Text.Json;
using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LabPortal.Tests.Portal;

/// <summary>
/// A run's outputs, ledger kinds and teardown reasons are typed in the code (RunOutputs, ResourceKind,
/// TeardownReason) but stored as the text earlier releases wrote: rows of the previous release read back
/// as what they say, and what the portal writes now is that same text.
/// </summary>
public sealed class TypedContractsStorageTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private string Database => Path.Combine(_data.Path, PreviousReleaseDatabase.DatabaseFile);

    [Fact]
    public async Task Previous_release_rows_read_as_the_typed_values_they_stored()
    {
        await using var factory = PortalOnPreviousRelease();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var runs = await db.LabRuns.Include(r => r.Ledger).AsNoTracking().ToListAsync();
        var rawRuns = await RawAsync("SELECT Id, TeardownReason, OutputsJson FROM LabRuns");
        var rawLedger = await RawAsync("SELECT Id, Kind FROM Ledger");

        Assert.Contains(rawRuns, r => r[1] is not null);
        foreach (var run in runs)
        {
            var raw = rawRuns.Single(r => r[0] == run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(raw[1], run.TeardownReason?.StoredName());
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(raw[2]!)!;
            var outputs = RunOutputs.Of(run);
            Assert.Equal(stored.OrderBy(p => p.Key, StringComparer.Ordinal), outputs.ByPlaceholderName.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(stored.GetValueOrDefault("vpcId"), outputs.VpcId);
            Assert.Equal(stored.GetValueOrDefault("securityGroupId"), outputs.SecurityGroupId);
            Assert.Equal(stored.GetValueOrDefault("autoScalingGroupName"), outputs.AutoScalingGroupName);
        }

        var entries = runs.SelectMany(r => r.Ledger).ToList();
        Assert.Equal(rawLedger.Count, entries.Count);
        Assert.All(entries, e => Assert.Equal(rawLedger.Single(r => r[0] == e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))[1], e.Kind.ToString()));
    }

    [Fact]
    public async Task Typed_values_are_written_as_the_text_earlier_releases_wrote()
    {
        await using var factory = PortalOnPreviousRelease();
        int runId;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var run = await db.LabRuns.OrderBy(r => r.Id).FirstAsync();
            runId = run.Id;
            var outputs = RunOutputs.Of(run);
            outputs.TargetGroupArn = "arn:aws:elasticloadbalancing:ap-northeast-2:111111111111:targetgroup/web-tg/0123456789abcdef";
            outputs.SetInstanceId(2, "i-0123456789abcdef0");
            outputs.SetSubnetId(1, "subnet-0123456789abcdef0");
            outputs.DrillUnhealthyAt = "";
            outputs.WriteTo(run);
            run.TeardownReason = TeardownReason.AutoCleanup;
            foreach (var kind in ResourceKinds.All)
            {
                run.Ledger.Add(new LedgerEntry { Kind = kind, Name = "typed-" + kind, Region = "ap-northeast-2", State = LedgerState.Intended });
            }

            await db.SaveChangesAsync();
        }

        var id = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var row = (await RawAsync($"SELECT TeardownReason, OutputsJson FROM LabRuns WHERE Id = {id}")).Single();
        Assert.Equal("auto-cleanup", row[0]);
        var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(row[1]!)!;
        Assert.Equal("arn:aws:elasticloadbalancing:ap-northeast-2:111111111111:targetgroup/web-tg/0123456789abcdef", stored["targetGroupArn"]);
        Assert.Equal("i-0123456789abcdef0", stored["instance2Id"]);
        Assert.Equal("subnet-0123456789abcdef0", stored["subnet1Id"]);
        Assert.Equal("", stored["drillUnhealthyAt"]);
        var kinds = (await RawAsync($"SELECT Kind, Name FROM Ledger WHERE LabRunId = {id} AND Name LIKE 'typed-%'")).Select(r => r[0]).Order(StringComparer.Ordinal);
        Assert.Equal(Enum.GetNames<ResourceKind>().Order(StringComparer.Ordinal), kinds);
    }

    [Fact]
    public void Teardown_reasons_keep_the_names_earlier_releases_wrote()
    {
        // What CleanUpIdleRuns, ResetService, the finish step and the sweeper stored as strings before the enum.
        Assert.Equal(["learner", "reset", "auto-cleanup", "sweeper"], Enum.GetValues<TeardownReason>().Select(r => r.StoredName()));
        Assert.All(Enum.GetValues<TeardownReason>(), r => Assert.Equal(r, TeardownReasons.FromStoredName(r.StoredName())));
        Assert.Throws<InvalidOperationException>(() => TeardownReasons.FromStoredName("Reset"));
        Assert.False(ResourceKinds.TryParse("3", out _));
        Assert.True(ResourceKinds.TryParse("SecurityGroup", out var kind) && kind == ResourceKind.SecurityGroup);
    }

    private PortalFactory PortalOnPreviousRelease()
    {
        foreach (var file in Directory.EnumerateFiles(PreviousReleaseDatabase.CheckedInFolder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_data.Path, Path.GetRelativePath(PreviousReleaseDatabase.CheckedInFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // Auto-cleanup would start tearing down the file's long-idle runs (their dates are in the past) while the test reads them.
        return new PortalFactory(_data.Path, new Dictionary<string, string?> { ["Labs:Directory"] = E2E.Lab1Flow.ShippedLabs }, services =>
            services.Remove(services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(CleanupSchedule))), TestDatabaseProvider.Sqlite);
    }

    private async Task<List<string?[]>> RawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The statements are this class's own constants and row ids, no input.
        command.CommandText = sql;
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))]);
        }

        return rows;
    }
}
