using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

public sealed class DatabaseModelTests
{
    [Fact]
    public async Task Database_has_no_pending_model_changes()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), "The hand-written model snapshot differs from the DbContext: add a migration and update Migrations/PortalDbContextModelSnapshot.cs.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migrations_create_the_Quartz_job_store_tables()
    {
        using var data = new TempDirectory();
        using var factory = new PortalFactory(data.Path);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table' AND name LIKE 'QRTZ_%'").ToListAsync();
        Assert.Contains("QRTZ_JOB_DETAILS", tables);
        Assert.Contains("QRTZ_TRIGGERS", tables);
        Assert.Contains("QRTZ_LOCKS", tables);
    }
}
