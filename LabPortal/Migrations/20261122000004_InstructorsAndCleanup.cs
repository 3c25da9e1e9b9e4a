using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>Class cleanup limits, a run's cleanup warning and teardown reason, and the audit trail.</summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261122000004_InstructorsAndCleanup")]
public sealed class InstructorsAndCleanup : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "IdleLimitMinutes", table: "Classrooms", type: "INTEGER", nullable: false, defaultValue: 120);
        migrationBuilder.AddColumn<int>(name: "MaxLifetimeMinutes", table: "Classrooms", type: "INTEGER", nullable: false, defaultValue: 480);

        migrationBuilder.AddColumn<DateTime>(name: "CleanupWarnedAtUtc", table: "LabRuns", type: "TEXT", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "ExtendedAtUtc", table: "LabRuns", type: "TEXT", nullable: true);
        migrationBuilder.AddColumn<string>(name: "TeardownReason", table: "LabRuns", type: "TEXT", maxLength: 32, nullable: true);
        migrationBuilder.CreateIndex(name: "IX_LabRuns_Status", table: "LabRuns", column: "Status");

        migrationBuilder.CreateTable(
            name: "Audit",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                ActorUserId = table.Column<int>(type: "INTEGER", nullable: true),
                Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                ClassroomId = table.Column<int>(type: "INTEGER", nullable: true),
                SubjectUserId = table.Column<int>(type: "INTEGER", nullable: true),
                LabRunId = table.Column<int>(type: "INTEGER", nullable: true),
                Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                Detail = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Audit", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Audit_ClassroomId", table: "Audit", column: "ClassroomId");
        migrationBuilder.CreateIndex(name: "IX_Audit_SubjectUserId", table: "Audit", column: "SubjectUserId");
        migrationBuilder.CreateIndex(name: "IX_Audit_LabRunId", table: "Audit", column: "LabRunId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Audit");
        migrationBuilder.DropIndex(name: "IX_LabRuns_Status", table: "LabRuns");
        migrationBuilder.DropColumn(name: "TeardownReason", table: "LabRuns");
        migrationBuilder.DropColumn(name: "ExtendedAtUtc", table: "LabRuns");
        migrationBuilder.DropColumn(name: "CleanupWarnedAtUtc", table: "LabRuns");
        migrationBuilder.DropColumn(name: "MaxLifetimeMinutes", table: "Classrooms");
        migrationBuilder.DropColumn(name: "IdleLimitMinutes", table: "Classrooms");
    }
}
