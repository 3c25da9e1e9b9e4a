using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>
/// Quartz's ADO job store tables, from the script Quartz ships (so they match the Quartz version).
/// They are not part of the EF model; the job store owns them.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261122000002_QuartzJobStore")]
public sealed class QuartzJobStore : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var dialect = ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL" ? "postgres" : "sqlite";
        foreach (var statement in QuartzSchema.Statements(dialect))
        {
            migrationBuilder.Sql(statement);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "FIRED_TRIGGERS", "PAUSED_TRIGGER_GRPS", "SCHEDULER_STATE", "LOCKS", "SIMPLE_TRIGGERS", "SIMPROP_TRIGGERS", "CRON_TRIGGERS", "BLOB_TRIGGERS", "TRIGGERS", "JOB_DETAILS", "CALENDARS" })
        {
            migrationBuilder.Sql($"DROP TABLE IF EXISTS {QuartzSchema.TablePrefix}{table};");
        }
    }
}
