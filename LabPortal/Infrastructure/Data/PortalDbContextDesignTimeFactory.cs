using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// How <c>dotnet ef</c> gets the DbContext: the portal's provider (SQLite) without starting the portal, whose
/// start-up needs a data folder and a lab catalog. <c>migrations add</c> reads the model only and opens no
/// database; the portal migrates its own database at start (<see cref="DatabaseMigrator"/>).
/// </summary>
public sealed class PortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=labportal-design-time.db").Options);
}
