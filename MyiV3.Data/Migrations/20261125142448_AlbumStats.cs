using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class AlbumStats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "user_album_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    album_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false),
                    first_played_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_played_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_album_stats", x => new { x.user_id, x.album_id });
                    table.CheckConstraint("ck_user_album_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_album_stats_played_range", "first_played_at <= last_played_at");
                    table.CheckConstraint("ck_user_album_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_album_stats_albums_album_id",
                        column: x => x.album_id,
                        principalTable: "albums",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_user_album_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_user_album_stats_album_id",
                table: "user_album_stats",
                column: "album_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_album_stats_user_id_play_count",
                table: "user_album_stats",
                columns: new[] { "user_id", "play_count" },
                descending: new[] { false, true });

            migrationBuilder.Sql(MigrationSql.Load("AlbumStats.Up.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "user_album_stats");
        }
    }
}
