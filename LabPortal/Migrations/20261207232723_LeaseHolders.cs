using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabPortal.Migrations
{
    /// <inheritdoc />
    public partial class LeaseHolders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LeaseHolder",
                table: "StepRuns",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TeardownLeaseHolder",
                table: "LabRuns",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeaseHolder",
                table: "StepRuns");

            migrationBuilder.DropColumn(
                name: "TeardownLeaseHolder",
                table: "LabRuns");
        }
    }
}
