using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>
/// Issue 17: a class's money guardrails (allowed instance types, the most instances and load balancers
/// a learner holds, lab regions, budget), and one live learner per account of an account pool.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261207000002_GuardrailsAndAccountPool")]
public sealed class GuardrailsAndAccountPool : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ClassGuardrails",
            columns: table => new
            {
                ClassroomId = table.Column<int>(type: "INTEGER", nullable: false),
                AllowedInstanceTypes = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                MaxInstancesPerLearner = table.Column<int>(type: "INTEGER", nullable: false),
                MaxLoadBalancersPerLearner = table.Column<int>(type: "INTEGER", nullable: false),
                LabRegions = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                BudgetUsd = table.Column<decimal>(type: "TEXT", nullable: true),
                UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ClassGuardrails", x => x.ClassroomId);
                table.ForeignKey(
                    name: "FK_ClassGuardrails_Classrooms_ClassroomId",
                    column: x => x.ClassroomId,
                    principalTable: "Classrooms",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_CloudAccounts_RoleArn",
            table: "CloudAccounts",
            column: "RoleArn",
            unique: true,
            filter: "\"RoleArn\" IS NOT NULL AND \"DeletedAtUtc\" IS NULL");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_CloudAccounts_RoleArn", table: "CloudAccounts");
        migrationBuilder.DropTable(name: "ClassGuardrails");
    }
}
