using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>
/// Once created the tables of the job scheduler the portal used before Hangfire (prefix <c>QRTZ_</c>).
/// It stays in the chain under its old id so databases that applied it keep a consistent history;
/// a fresh database gets nothing from it, and <see cref="HangfireJobs"/> drops the tables where they exist.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261122000002_QuartzJobStore")]
public sealed class OldJobStore : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
