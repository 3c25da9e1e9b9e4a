using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// How <c>dotnet ef ... --context PostgreSqlPortalDbContext</c> gets the PostgreSQL context. As for SQLite
/// (<see cref="PortalDbContextDesignTimeFactory"/>), <c>migrations add</c> reads the model only: the server named
/// here is never contacted.
/// </summary>
public sealed class PostgreSqlPortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>().UseNpgsql("Host=localhost;Database=labportal_design_time").Options);
}
