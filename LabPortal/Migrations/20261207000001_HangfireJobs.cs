using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>
/// Background jobs move to Hangfire, whose storage is its own file (or database): the old job
/// store's tables (prefix <c>QRTZ_</c>) are dropped from existing portal databases. Step runs and
/// runs get the leases that keep a job delivered twice from working twice, and a step its wait.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261207000001_HangfireJobs")]
public sealed class HangfireJobs : Migration
{
    /// <summary>The old job store's tables, dependants first.</summary>
    public static readonly string[] OldJobStoreTables =
    [
        "QRTZ_FIRED_TRIGGERS", "QRTZ_PAUSED_TRIGGER_GRPS", "QRTZ_SCHEDULER_STATE", "QRTZ_LOCKS", "QRTZ_SIMPLE_TRIGGERS",
        "QRTZ_SIMPROP_TRIGGERS", "QRTZ_CRON_TRIGGERS", "QRTZ_BLOB_TRIGGERS", "QRTZ_TRIGGERS", "QRTZ_JOB_DETAILS", "QRTZ_CALENDARS",
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var table in OldJobStoreTables)
        {
            migrationBuilder.Sql($"DROP TABLE IF EXISTS {table};");
        }

        migrationBuilder.AddColumn<DateTime>(name: "LeaseUntilUtc", table: "StepRuns", type: "TEXT", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "WaitingUntilUtc", table: "StepRuns", type: "TEXT", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "TeardownLeaseUntilUtc", table: "LabRuns", type: "TEXT", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "LeaseUntilUtc", table: "StepRuns");
        migrationBuilder.DropColumn(name: "WaitingUntilUtc", table: "StepRuns");
        migrationBuilder.DropColumn(name: "TeardownLeaseUntilUtc", table: "LabRuns");
    }
}
