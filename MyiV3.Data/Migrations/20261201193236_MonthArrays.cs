using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class MonthArrays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(MigrationSql.Load("MonthArrays.Function.sql"));

            migrationBuilder.CreateTable(
                name: "user_month_artists",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    artist_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    play_counts = table.Column<int[]>(type: "integer[]", nullable: false),
                    total_ms = table.Column<long[]>(type: "bigint[]", nullable: false),
                    skip_counts = table.Column<int[]>(type: "integer[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_month_artists", x => new { x.user_id, x.month });
                    table.CheckConstraint("ck_user_month_artists_counters", "0 < ALL (play_counts) AND 0 <= ALL (total_ms) AND 0 <= ALL (skip_counts)");
                    table.CheckConstraint("ck_user_month_artists_month_aligned", "extract(day FROM month) = 1");
                    table.CheckConstraint("ck_user_month_artists_parallel_arrays", "cardinality(play_counts) = cardinality(artist_ids) AND cardinality(total_ms) = cardinality(artist_ids) AND cardinality(skip_counts) = cardinality(artist_ids)");
                    table.CheckConstraint("ck_user_month_artists_skips_within_plays", "myi_skips_within_plays(skip_counts, play_counts)");
                    table.ForeignKey(
                        name: "fk_user_month_artists_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_month_tracks",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    track_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    play_counts = table.Column<int[]>(type: "integer[]", nullable: false),
                    total_ms = table.Column<long[]>(type: "bigint[]", nullable: false),
                    skip_counts = table.Column<int[]>(type: "integer[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_month_tracks", x => new { x.user_id, x.month });
                    table.CheckConstraint("ck_user_month_tracks_counters", "0 < ALL (play_counts) AND 0 <= ALL (total_ms) AND 0 <= ALL (skip_counts)");
                    table.CheckConstraint("ck_user_month_tracks_month_aligned", "extract(day FROM month) = 1");
                    table.CheckConstraint("ck_user_month_tracks_parallel_arrays", "cardinality(play_counts) = cardinality(track_ids) AND cardinality(total_ms) = cardinality(track_ids) AND cardinality(skip_counts) = cardinality(track_ids)");
                    table.CheckConstraint("ck_user_month_tracks_skips_within_plays", "myi_skips_within_plays(skip_counts, play_counts)");
                    table.ForeignKey(
                        name: "fk_user_month_tracks_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql(MigrationSql.Load("MonthArrays.Up.sql"));

            migrationBuilder.DropTable(
                name: "user_artist_month_stats");

            migrationBuilder.DropTable(
                name: "user_track_month_stats");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "user_artist_month_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    artist_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_artist_month_stats", x => new { x.user_id, x.month, x.artist_id });
                    table.CheckConstraint("ck_user_artist_month_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_artist_month_stats_month_aligned", "extract(day FROM month) = 1");
                    table.CheckConstraint("ck_user_artist_month_stats_skips_within_plays", "skip_count <= play_count");
                });

            migrationBuilder.CreateTable(
                name: "user_track_month_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    track_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_track_month_stats", x => new { x.user_id, x.month, x.track_id });
                    table.CheckConstraint("ck_user_track_month_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_track_month_stats_month_aligned", "extract(day FROM month) = 1");
                    table.CheckConstraint("ck_user_track_month_stats_skips_within_plays", "skip_count <= play_count");
                });

            migrationBuilder.CreateIndex(
                name: "ix_user_artist_month_stats_artist_id",
                table: "user_artist_month_stats",
                column: "artist_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_track_month_stats_track_id",
                table: "user_track_month_stats",
                column: "track_id");

            migrationBuilder.Sql(MigrationSql.Load("MonthArrays.Down.sql"));

            migrationBuilder.DropTable(
                name: "user_month_artists");

            migrationBuilder.DropTable(
                name: "user_month_tracks");

            migrationBuilder.Sql("DROP FUNCTION myi_skips_within_plays(integer[], integer[]);");
        }
    }
}
