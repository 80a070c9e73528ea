using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImportStaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "applied_rows",
                table: "import_jobs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "staged_rows",
                table: "import_jobs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_import_jobs_applied_within_staged",
                table: "import_jobs",
                sql: "applied_rows >= 0 AND (staged_rows IS NULL OR applied_rows <= staged_rows)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_import_jobs_applied_within_staged",
                table: "import_jobs");

            migrationBuilder.DropColumn(
                name: "applied_rows",
                table: "import_jobs");

            migrationBuilder.DropColumn(
                name: "staged_rows",
                table: "import_jobs");
        }
    }
}
