using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class MonthArraysLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(MigrationSql.Load("MonthArraysLz4.Up.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE user_month_tracks
                    ALTER COLUMN track_ids SET COMPRESSION DEFAULT, ALTER COLUMN play_counts SET COMPRESSION DEFAULT,
                    ALTER COLUMN total_ms SET COMPRESSION DEFAULT, ALTER COLUMN skip_counts SET COMPRESSION DEFAULT;
                ALTER TABLE user_month_artists
                    ALTER COLUMN artist_ids SET COMPRESSION DEFAULT, ALTER COLUMN play_counts SET COMPRESSION DEFAULT,
                    ALTER COLUMN total_ms SET COMPRESSION DEFAULT, ALTER COLUMN skip_counts SET COMPRESSION DEFAULT;
                """);
        }
    }
}
