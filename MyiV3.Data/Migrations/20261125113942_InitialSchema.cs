using System;
using Microsoft.EntityFrameworkCore.Migrations;
using MyiV3.Data.Entities;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:Enum:bucket_type", "DAY,MONTH,WEEK")
                .Annotation("Npgsql:Enum:job_status", "COMPLETED,FAILED,PENDING,PROCESSING")
                .Annotation("Npgsql:Enum:source", "API,BACKFILL,IMPORT")
                .Annotation("Npgsql:Enum:term", "LONG_TERM,MEDIUM_TERM,SHORT_TERM");

            migrationBuilder.CreateTable(
                name: "albums",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    spotify_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    album_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    release_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    image_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    total_tracks = table.Column<int>(type: "integer", nullable: true),
                    is_provisional = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_albums", x => x.id);
                    table.CheckConstraint("ck_albums_total_tracks_nonnegative", "total_tracks IS NULL OR total_tracks >= 0");
                });

            migrationBuilder.CreateTable(
                name: "artists",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    spotify_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    genres = table.Column<string[]>(type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]"),
                    popularity = table.Column<short>(type: "smallint", nullable: true),
                    image_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    is_provisional = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_artists", x => x.id);
                    table.CheckConstraint("ck_artists_popularity_range", "popularity IS NULL OR popularity BETWEEN 0 AND 100");
                });

            migrationBuilder.CreateTable(
                name: "metadata_refresh_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    entity_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    entity_id = table.Column<long>(type: "bigint", nullable: false),
                    last_refreshed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_refresh_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failure_count = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_metadata_refresh_log", x => x.id);
                    table.CheckConstraint("ck_metadata_refresh_log_entity_type", "entity_type IN ('track', 'artist', 'album')");
                    table.CheckConstraint("ck_metadata_refresh_log_failures_nonnegative", "failure_count >= 0");
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    spotify_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    display_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    avatar_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    is_demo = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    total_play_count = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    total_listening_ms = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    last_ingested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_login_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.CheckConstraint("ck_users_totals_nonnegative", "total_play_count >= 0 AND total_listening_ms >= 0");
                });

            migrationBuilder.CreateTable(
                name: "tracks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    spotify_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    album_id = table.Column<long>(type: "bigint", nullable: true),
                    duration_ms = table.Column<int>(type: "integer", nullable: true),
                    popularity = table.Column<short>(type: "smallint", nullable: true),
                    @explicit = table.Column<bool>(name: "explicit", type: "boolean", nullable: true),
                    is_provisional = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracks", x => x.id);
                    table.CheckConstraint("ck_tracks_duration_nonnegative", "duration_ms IS NULL OR duration_ms >= 0");
                    table.CheckConstraint("ck_tracks_popularity_range", "popularity IS NULL OR popularity BETWEEN 0 AND 100");
                    table.ForeignKey(
                        name: "fk_tracks_albums_album_id",
                        column: x => x.album_id,
                        principalTable: "albums",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "import_jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    file_name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    file_size = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    storage_path = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    status = table.Column<JobStatus>(type: "job_status", nullable: false),
                    total_rows = table.Column<long>(type: "bigint", nullable: true),
                    processed_rows = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    imported_rows = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    duplicate_rows = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    skipped_non_music = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    skipped_zero_ms = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    skipped_invalid = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    error_message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_jobs", x => x.id);
                    table.CheckConstraint("ck_import_jobs_counters_nonnegative", "file_size >= 0 AND processed_rows >= 0 AND imported_rows >= 0 AND duplicate_rows >= 0 AND skipped_non_music >= 0 AND skipped_zero_ms >= 0 AND skipped_invalid >= 0 AND (total_rows IS NULL OR total_rows >= 0)");
                    table.CheckConstraint("ck_import_jobs_hash_hex", "content_hash ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_import_jobs_processed_within_total", "total_rows IS NULL OR processed_rows <= total_rows");
                    table.ForeignKey(
                        name: "fk_import_jobs_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "spotify_auth",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    encrypted_refresh_token = table.Column<byte[]>(type: "bytea", nullable: false),
                    key_version = table.Column<int>(type: "integer", nullable: false, defaultValue: 1),
                    access_token_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    scopes = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    is_valid = table.Column<bool>(type: "boolean", nullable: false),
                    consecutive_failures = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_refreshed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_spotify_auth", x => x.user_id);
                    table.CheckConstraint("ck_spotify_auth_failures_nonnegative", "consecutive_failures >= 0");
                    table.CheckConstraint("ck_spotify_auth_key_version_positive", "key_version > 0");
                    table.CheckConstraint("ck_spotify_auth_token_shape", "octet_length(encrypted_refresh_token) > 28");
                    table.ForeignKey(
                        name: "fk_spotify_auth_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "spotify_top_artists",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    term = table.Column<Term>(type: "term", nullable: false),
                    rank = table.Column<short>(type: "smallint", nullable: false),
                    artist_id = table.Column<long>(type: "bigint", nullable: false),
                    fetched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_spotify_top_artists", x => new { x.user_id, x.term, x.rank });
                    table.CheckConstraint("ck_spotify_top_artists_rank_range", "rank BETWEEN 1 AND 50");
                    table.ForeignKey(
                        name: "fk_spotify_top_artists_artists_artist_id",
                        column: x => x.artist_id,
                        principalTable: "artists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_spotify_top_artists_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_artist_month_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    artist_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_artist_month_stats", x => new { x.user_id, x.month, x.artist_id });
                    table.CheckConstraint("ck_user_artist_month_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_artist_month_stats_month_aligned", "extract(day FROM month) = 1");
                    table.CheckConstraint("ck_user_artist_month_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_artist_month_stats_artists_artist_id",
                        column: x => x.artist_id,
                        principalTable: "artists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_user_artist_month_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_artist_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    artist_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false),
                    first_played_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_played_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_artist_stats", x => new { x.user_id, x.artist_id });
                    table.CheckConstraint("ck_user_artist_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_artist_stats_played_range", "first_played_at <= last_played_at");
                    table.CheckConstraint("ck_user_artist_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_artist_stats_artists_artist_id",
                        column: x => x.artist_id,
                        principalTable: "artists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_user_artist_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_hour_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    hour = table.Column<short>(type: "smallint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_hour_stats", x => new { x.user_id, x.hour });
                    table.CheckConstraint("ck_user_hour_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_hour_stats_hour_range", "hour BETWEEN 0 AND 23");
                    table.CheckConstraint("ck_user_hour_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_hour_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_settings",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, defaultValue: "UTC"),
                    is_profile_public = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    show_recent_plays = table.Column<bool>(type: "boolean", nullable: false),
                    exclude_incognito_plays = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    theme = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, defaultValue: "system"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_settings", x => x.user_id);
                    table.CheckConstraint("ck_user_settings_theme", "theme IN ('system', 'light', 'dark')");
                    table.ForeignKey(
                        name: "fk_user_settings_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_time_bucket_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    bucket_type = table.Column<BucketType>(type: "bucket_type", nullable: false),
                    bucket_date = table.Column<DateOnly>(type: "date", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_time_bucket_stats", x => new { x.user_id, x.bucket_type, x.bucket_date });
                    table.CheckConstraint("ck_user_time_bucket_stats_aligned", "bucket_type = 'DAY' OR (bucket_type = 'WEEK' AND extract(isodow FROM bucket_date) = 1) OR (bucket_type = 'MONTH' AND extract(day FROM bucket_date) = 1)");
                    table.CheckConstraint("ck_user_time_bucket_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_time_bucket_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_time_bucket_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_weekday_hour_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    weekday = table.Column<short>(type: "smallint", nullable: false),
                    hour = table.Column<short>(type: "smallint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_weekday_hour_stats", x => new { x.user_id, x.weekday, x.hour });
                    table.CheckConstraint("ck_user_weekday_hour_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0");
                    table.CheckConstraint("ck_user_weekday_hour_stats_hour_range", "hour BETWEEN 0 AND 23");
                    table.CheckConstraint("ck_user_weekday_hour_stats_weekday_range", "weekday BETWEEN 1 AND 7");
                    table.ForeignKey(
                        name: "fk_user_weekday_hour_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });


            migrationBuilder.CreateTable(
                name: "spotify_top_tracks",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    term = table.Column<Term>(type: "term", nullable: false),
                    rank = table.Column<short>(type: "smallint", nullable: false),
                    track_id = table.Column<long>(type: "bigint", nullable: false),
                    fetched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_spotify_top_tracks", x => new { x.user_id, x.term, x.rank });
                    table.CheckConstraint("ck_spotify_top_tracks_rank_range", "rank BETWEEN 1 AND 50");
                    table.ForeignKey(
                        name: "fk_spotify_top_tracks_tracks_track_id",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_spotify_top_tracks_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "track_artists",
                columns: table => new
                {
                    track_id = table.Column<long>(type: "bigint", nullable: false),
                    artist_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<short>(type: "smallint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_track_artists", x => new { x.track_id, x.artist_id });
                    table.CheckConstraint("ck_track_artists_position_nonnegative", "position >= 0");
                    table.ForeignKey(
                        name: "fk_track_artists_artists_artist_id",
                        column: x => x.artist_id,
                        principalTable: "artists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_track_artists_tracks_track_id",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_track_month_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    track_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_track_month_stats", x => new { x.user_id, x.month, x.track_id });
                    table.CheckConstraint("ck_user_track_month_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_track_month_stats_month_aligned", "extract(day FROM month) = 1");
                    table.CheckConstraint("ck_user_track_month_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_track_month_stats_tracks_track_id",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_user_track_month_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_track_stats",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    track_id = table.Column<long>(type: "bigint", nullable: false),
                    play_count = table.Column<long>(type: "bigint", nullable: false),
                    total_ms = table.Column<long>(type: "bigint", nullable: false),
                    skip_count = table.Column<long>(type: "bigint", nullable: false),
                    first_played_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_played_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_track_stats", x => new { x.user_id, x.track_id });
                    table.CheckConstraint("ck_user_track_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
                    table.CheckConstraint("ck_user_track_stats_played_range", "first_played_at <= last_played_at");
                    table.CheckConstraint("ck_user_track_stats_skips_within_plays", "skip_count <= play_count");
                    table.ForeignKey(
                        name: "fk_user_track_stats_tracks_track_id",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_user_track_stats_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_albums_spotify_id",
                table: "albums",
                column: "spotify_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_artists_genres",
                table: "artists",
                column: "genres")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_artists_spotify_id",
                table: "artists",
                column: "spotify_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_import_jobs_status",
                table: "import_jobs",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_import_jobs_user_id_created_at",
                table: "import_jobs",
                columns: new[] { "user_id", "created_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_metadata_refresh_log_entity_type_entity_id",
                table: "metadata_refresh_log",
                columns: new[] { "entity_type", "entity_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_metadata_refresh_log_next_refresh_at",
                table: "metadata_refresh_log",
                column: "next_refresh_at");

            migrationBuilder.CreateIndex(
                name: "ix_spotify_top_artists_artist_id",
                table: "spotify_top_artists",
                column: "artist_id");

            migrationBuilder.CreateIndex(
                name: "ix_spotify_top_artists_user_id_term_artist_id",
                table: "spotify_top_artists",
                columns: new[] { "user_id", "term", "artist_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_spotify_top_tracks_track_id",
                table: "spotify_top_tracks",
                column: "track_id");

            migrationBuilder.CreateIndex(
                name: "ix_spotify_top_tracks_user_id_term_track_id",
                table: "spotify_top_tracks",
                columns: new[] { "user_id", "term", "track_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_track_artists_artist_id",
                table: "track_artists",
                column: "artist_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracks_album_id",
                table: "tracks",
                column: "album_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracks_spotify_id",
                table: "tracks",
                column: "spotify_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_artist_month_stats_artist_id",
                table: "user_artist_month_stats",
                column: "artist_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_artist_stats_artist_id",
                table: "user_artist_stats",
                column: "artist_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_artist_stats_user_id_play_count",
                table: "user_artist_stats",
                columns: new[] { "user_id", "play_count" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_user_track_month_stats_track_id",
                table: "user_track_month_stats",
                column: "track_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_track_stats_track_id",
                table: "user_track_stats",
                column: "track_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_track_stats_user_id_play_count",
                table: "user_track_stats",
                columns: new[] { "user_id", "play_count" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_users_spotify_id",
                table: "users",
                column: "spotify_id",
                unique: true);
            migrationBuilder.Sql(MigrationSql.Load("InitialSchema.Up.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_jobs");

            migrationBuilder.Sql(MigrationSql.Load("InitialSchema.Down.sql"));

            migrationBuilder.DropTable(
                name: "metadata_refresh_log");

            migrationBuilder.DropTable(
                name: "spotify_auth");

            migrationBuilder.DropTable(
                name: "spotify_top_artists");

            migrationBuilder.DropTable(
                name: "spotify_top_tracks");

            migrationBuilder.DropTable(
                name: "track_artists");

            migrationBuilder.DropTable(
                name: "user_artist_month_stats");

            migrationBuilder.DropTable(
                name: "user_artist_stats");

            migrationBuilder.DropTable(
                name: "user_hour_stats");

            migrationBuilder.DropTable(
                name: "user_settings");

            migrationBuilder.DropTable(
                name: "user_time_bucket_stats");

            migrationBuilder.DropTable(
                name: "user_track_month_stats");

            migrationBuilder.DropTable(
                name: "user_track_stats");

            migrationBuilder.DropTable(
                name: "user_weekday_hour_stats");

            migrationBuilder.DropTable(
                name: "artists");

            migrationBuilder.DropTable(
                name: "tracks");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "albums");
        }
    }
}
