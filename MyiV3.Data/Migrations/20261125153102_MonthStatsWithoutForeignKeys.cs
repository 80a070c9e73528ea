using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class MonthStatsWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_user_artist_month_stats_artists_artist_id",
                table: "user_artist_month_stats");

            migrationBuilder.DropForeignKey(
                name: "fk_user_artist_month_stats_users_user_id",
                table: "user_artist_month_stats");

            migrationBuilder.DropForeignKey(
                name: "fk_user_track_month_stats_tracks_track_id",
                table: "user_track_month_stats");

            migrationBuilder.DropForeignKey(
                name: "fk_user_track_month_stats_users_user_id",
                table: "user_track_month_stats");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_user_artist_month_stats_artists_artist_id",
                table: "user_artist_month_stats",
                column: "artist_id",
                principalTable: "artists",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_user_artist_month_stats_users_user_id",
                table: "user_artist_month_stats",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_user_track_month_stats_tracks_track_id",
                table: "user_track_month_stats",
                column: "track_id",
                principalTable: "tracks",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_user_track_month_stats_users_user_id",
                table: "user_track_month_stats",
                column: "user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
