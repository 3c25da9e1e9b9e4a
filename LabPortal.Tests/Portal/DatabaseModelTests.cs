using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

public sealed class DatabaseModelTests
{
    [Fact]
    public async Task First_start_on_an_empty_SQLite_file_logs_no_error()
    {
        var errors = await FreshStart.ErrorsAsync(TestDatabaseProvider.Sqlite);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Database_has_no_pending_model_changes()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path, database: TestDatabaseProvider.Sqlite);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), "The model differs from the migrations' snapshot: run `dotnet ef migrations add <Name> --project LabPortal` (README, Database migrations).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal([DatabaseMigrator.BaselineMigration], (await db.Database.GetAppliedMigrationsAsync()).Take(1).ToList());
    }

    [Fact]
    public async Task Database_from_the_hand_written_migrations_adopts_the_baseline_without_running_it()
    {
        using var data = new TempDirectory();
        File.Copy(PreviousReleaseDatabase.CheckedInFile, Path.Combine(data.Path, PreviousReleaseDatabase.DatabaseFile));
        var before = await SqliteFile.RowsAsync(Path.Combine(data.Path, PreviousReleaseDatabase.DatabaseFile), "__EFMigrationsHistory");
        Assert.Equal(DatabaseMigrator.HandWrittenMigrations.Count, before.Count);

        using var factory = new PortalFactory(data.Path, database: TestDatabaseProvider.Sqlite);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal([.. DatabaseMigrator.HandWrittenMigrations, DatabaseMigrator.BaselineMigration], applied.Take(DatabaseMigrator.HandWrittenMigrations.Count + 1).ToList());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Database_stopped_part_way_through_the_hand_written_migrations_is_refused_with_what_to_do()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "labportal.db");
        File.Copy(PreviousReleaseDatabase.CheckedInFile, file);
        var last = DatabaseMigrator.HandWrittenMigrations[^1];
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            // As a database of the release before the last hand-written migration left it, as far as the history tells.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM __EFMigrationsHistory WHERE MigrationId = $id";
            command.Parameters.AddWithValue("$id", last);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        using var factory = new PortalFactory(data.Path, database: TestDatabaseProvider.Sqlite);
        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        var messages = string.Join(" / ", Chain(error).Select(e => e.Message));
        Assert.Contains(last, messages, StringComparison.Ordinal);
        Assert.Contains("357d8f2", messages, StringComparison.Ordinal);
        Assert.Equal(DatabaseMigrator.HandWrittenMigrations.Count - 1, (await SqliteFile.RowsAsync(file, "__EFMigrationsHistory")).Count);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
