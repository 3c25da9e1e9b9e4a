using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>Lab runs, their step runs, the resource ledger and learners' cloud accounts.</summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261122000003_LabRuns")]
public sealed class LabRuns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "CloudAccounts",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<int>(type: "INTEGER", nullable: false),
                Provider = table.Column<int>(type: "INTEGER", nullable: false),
                AccountId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                AccessKeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                ProtectedSecretAccessKey = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                RoleArn = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                DeletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_CloudAccounts", x => x.Id);
                table.ForeignKey("FK_CloudAccounts_Users_UserId", x => x.UserId, "Users", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "LabRuns",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<int>(type: "INTEGER", nullable: false),
                LabId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Status = table.Column<int>(type: "INTEGER", nullable: false),
                CurrentStepId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                CloudAccountId = table.Column<int>(type: "INTEGER", nullable: true),
                NamePrefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                LastActivityAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                FinishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                ValuesJson = table.Column<string>(type: "TEXT", nullable: false),
                OutputsJson = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_LabRuns", x => x.Id);
                table.ForeignKey("FK_LabRuns_CloudAccounts_CloudAccountId", x => x.CloudAccountId, "CloudAccounts", "Id", onDelete: ReferentialAction.SetNull);
                table.ForeignKey("FK_LabRuns_Users_UserId", x => x.UserId, "Users", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Ledger",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                LabRunId = table.Column<int>(type: "INTEGER", nullable: false),
                StepRunId = table.Column<int>(type: "INTEGER", nullable: true),
                Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                ClientToken = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                ResourceId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                Region = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                State = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                DeletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Ledger", x => x.Id);
                table.ForeignKey("FK_Ledger_LabRuns_LabRunId", x => x.LabRunId, "LabRuns", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "StepRuns",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                LabRunId = table.Column<int>(type: "INTEGER", nullable: false),
                StepId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Status = table.Column<int>(type: "INTEGER", nullable: false),
                Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                InputJson = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                FinishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                ErrorCode = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                RequestIds = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_StepRuns", x => x.Id);
                table.ForeignKey("FK_StepRuns_LabRuns_LabRunId", x => x.LabRunId, "LabRuns", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_CloudAccounts_UserId", table: "CloudAccounts", column: "UserId");
        migrationBuilder.CreateIndex(name: "IX_LabRuns_CloudAccountId", table: "LabRuns", column: "CloudAccountId");
        migrationBuilder.CreateIndex(name: "IX_LabRuns_UserId_LabId", table: "LabRuns", columns: ["UserId", "LabId"]);
        migrationBuilder.CreateIndex(name: "IX_Ledger_LabRunId", table: "Ledger", column: "LabRunId");
        migrationBuilder.CreateIndex(name: "IX_StepRuns_LabRunId_StepId", table: "StepRuns", columns: ["LabRunId", "StepId"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Ledger");
        migrationBuilder.DropTable(name: "StepRuns");
        migrationBuilder.DropTable(name: "LabRuns");
        migrationBuilder.DropTable(name: "CloudAccounts");
    }
}
