using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LabPortal.Migrations;

/// <summary>Users, classes and class memberships.</summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261122000001_Accounts")]
public sealed class Accounts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Classrooms",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                JoinCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Classrooms", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Users",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                NormalizedUserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                DisplayName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                PasswordHash = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                Role = table.Column<int>(type: "INTEGER", nullable: false),
                MustChangePassword = table.Column<bool>(type: "INTEGER", nullable: false),
                FailedSignInCount = table.Column<int>(type: "INTEGER", nullable: false),
                LockedOutUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                SecurityStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Users", x => x.Id));

        migrationBuilder.CreateTable(
            name: "ClassMemberships",
            columns: table => new
            {
                ClassroomId = table.Column<int>(type: "INTEGER", nullable: false),
                UserId = table.Column<int>(type: "INTEGER", nullable: false),
                Role = table.Column<int>(type: "INTEGER", nullable: false),
                JoinedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ClassMemberships", x => new { x.ClassroomId, x.UserId });
                table.ForeignKey("FK_ClassMemberships_Classrooms_ClassroomId", x => x.ClassroomId, "Classrooms", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_ClassMemberships_Users_UserId", x => x.UserId, "Users", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_Classrooms_JoinCode", table: "Classrooms", column: "JoinCode", unique: true);
        migrationBuilder.CreateIndex(name: "IX_Users_NormalizedUserName", table: "Users", column: "NormalizedUserName", unique: true);
        migrationBuilder.CreateIndex(name: "IX_ClassMemberships_UserId", table: "ClassMemberships", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "ClassMemberships");
        migrationBuilder.DropTable(name: "Users");
        migrationBuilder.DropTable(name: "Classrooms");
    }
}
