using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Data;

/// <summary>Reads pg_catalog to prove every table, key, index, enum, CHECK and setting of the spec exists.</summary>
public sealed class SchemaTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    public static TheoryData<string> Tables =>
    [
        "users", "spotify_auth", "user_settings", "tracks", "artists", "albums", "track_artists",
        "listening_events", "user_track_stats", "user_artist_stats", "user_time_bucket_stats", "user_hour_stats",
        "spotify_top_tracks", "spotify_top_artists", "import_jobs", "metadata_refresh_log",
    ];

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task Every_table_of_the_spec_exists(string table)
    {
        var exists = await Db.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", table);
        Assert.True(exists, $"table {table} is missing");
    }

    [Theory]
    [InlineData("source", "API,IMPORT,BACKFILL")]
    [InlineData("term", "SHORT_TERM,MEDIUM_TERM,LONG_TERM")]
    [InlineData("bucket_type", "DAY,WEEK,MONTH")]
    [InlineData("job_status", "PENDING,PROCESSING,COMPLETED,FAILED")]
    public async Task Native_enums_hold_exactly_the_spec_values(string type, string labels)
    {
        var actual = await Db.ScalarAsync<string[]>(
            "SELECT array_agg(e.enumlabel::text ORDER BY e.enumlabel) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1", type);
        Assert.Equal(labels.Split(',').Order(StringComparer.Ordinal), actual!);
    }

    [Theory]
    [InlineData("users", "spotify_id")]
    [InlineData("tracks", "spotify_id")]
    [InlineData("artists", "spotify_id")]
    [InlineData("albums", "spotify_id")]
    [InlineData("listening_events", "user_id,track_id,played_at")]
    [InlineData("spotify_top_tracks", "user_id,term,rank")]
    [InlineData("spotify_top_tracks", "user_id,term,track_id")]
    [InlineData("spotify_top_artists", "user_id,term,rank")]
    [InlineData("spotify_top_artists", "user_id,term,artist_id")]
    [InlineData("metadata_refresh_log", "entity_type,entity_id")]
    public async Task Unique_constraints_of_the_spec_exist(string table, string columns)
    {
        Assert.Contains(columns, await UniqueColumnSetsAsync(table));
    }

    [Theory]
    [InlineData("listening_events", "id,played_at")]
    [InlineData("track_artists", "track_id,artist_id")]
    [InlineData("user_track_stats", "user_id,track_id")]
    [InlineData("user_artist_stats", "user_id,artist_id")]
    [InlineData("user_album_stats", "user_id,album_id")]
    [InlineData("user_time_bucket_stats", "user_id,bucket_type,bucket_date")]
    [InlineData("user_hour_stats", "user_id,hour")]
    [InlineData("spotify_auth", "user_id")]
    [InlineData("user_settings", "user_id")]
    public async Task Composite_primary_keys_match_the_spec(string table, string columns)
    {
        var pk = await Db.ScalarAsync<string>("""
            SELECT string_agg(a.attname, ',' ORDER BY k.ord)
            FROM pg_constraint c
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.conrelid = $1::regclass AND c.contype = 'p'
            """, table);
        Assert.Equal(columns, pk);
    }

    [Theory]
    [InlineData("listening_events", "(user_id, played_at DESC)")]
    [InlineData("listening_events", "(user_id, created_at DESC)")]
    [InlineData("listening_events", "(track_id)")]
    [InlineData("user_track_stats", "(user_id, play_count DESC)")]
    [InlineData("user_artist_stats", "(user_id, play_count DESC)")]
    [InlineData("user_album_stats", "(user_id, play_count DESC)")]
    [InlineData("user_album_stats", "(album_id)")]
    [InlineData("artists", "USING gin (genres)")]
    [InlineData("track_artists", "(artist_id)")]
    [InlineData("tracks", "(album_id)")]
    [InlineData("metadata_refresh_log", "(next_refresh_at)")]
    public async Task Strategic_indexes_of_the_spec_exist(string table, string shape)
    {
        var defs = await Db.ScalarAsync<string[]>("SELECT array_agg(indexdef) FROM pg_indexes WHERE tablename = $1", table);
        Assert.Contains(defs!, d => d.EndsWith(shape, StringComparison.Ordinal) || d.Contains(shape + " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("spotify_auth", "user_id", "users")]
    [InlineData("user_settings", "user_id", "users")]
    [InlineData("listening_events", "user_id", "users")]
    [InlineData("listening_events", "track_id", "tracks")]
    [InlineData("tracks", "album_id", "albums")]
    [InlineData("track_artists", "track_id", "tracks")]
    [InlineData("track_artists", "artist_id", "artists")]
    [InlineData("spotify_top_tracks", "track_id", "tracks")]
    [InlineData("spotify_top_artists", "artist_id", "artists")]
    [InlineData("user_track_stats", "track_id", "tracks")]
    [InlineData("user_artist_stats", "artist_id", "artists")]
    [InlineData("user_album_stats", "user_id", "users")]
    [InlineData("user_album_stats", "album_id", "albums")]
    [InlineData("import_jobs", "user_id", "users")]
    public async Task Foreign_keys_of_the_spec_exist(string table, string column, string target)
    {
        var count = await Db.ScalarAsync<long>("""
            SELECT count(*) FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND a.attname = $2 AND c.confrelid = $3::regclass
            """, table, column, target);
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("user_album_stats", "user_id", "c")]  // a user's statistics go with the user
    [InlineData("user_album_stats", "album_id", "r")] // an album someone played cannot silently vanish
    public async Task Album_statistics_cascade_with_their_user_and_restrict_album_deletes(string table, string column, string rule)
    {
        var actual = await Db.ScalarAsync<string>("""
            SELECT c.confdeltype::text FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND a.attname = $2
            """, table, column);
        Assert.Equal(rule, actual);
    }

    [Fact]
    public async Task Listening_events_is_range_partitioned_by_month_on_played_at_without_default_partition()
    {
        var strategy = await Db.ScalarAsync<string>("SELECT pg_get_partkeydef('listening_events'::regclass)");
        Assert.Equal("RANGE (played_at)", strategy);
        var partitions = await Db.ScalarAsync<string[]>(
            "SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'listening_events'::regclass");
        Assert.True(partitions!.Length >= 4, "the current month and the next three are created by the migration");
        Assert.All(partitions, p => Assert.Matches(@"^listening_events_y\d{4}m\d{2}$", p));
        var hasDefault = await Db.ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'listening_events'::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT')");
        Assert.False(hasDefault);
    }

    [Fact]
    public async Task Partition_function_creates_months_idempotently_with_exact_bounds()
    {
        // Months before 2008 are not made by the migration: the function makes them on demand.
        var created = await Db.ScalarAsync<int>("SELECT ensure_listening_event_partitions('2006-01-15T10:00:00Z', '2006-03-01T00:00:00Z')");
        Assert.Equal(3, created);
        var again = await Db.ScalarAsync<int>("SELECT ensure_listening_event_partitions('2006-01-01T00:00:00Z', '2006-03-31T23:59:59Z')");
        Assert.Equal(0, again);
        var bound = await Db.ScalarAsync<string>("""
            SET LOCAL TIME ZONE 'UTC';
            SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c WHERE c.relname = 'listening_events_y2006m02'
            """);
        Assert.Equal("FOR VALUES FROM ('2006-02-01 00:00:00+00') TO ('2006-03-01 00:00:00+00')", bound);
    }

    [Fact]
    public async Task Every_month_from_2008_to_three_months_ahead_has_its_partition_before_any_import()
    {
        // A first import then creates no partition (no ACCESS EXCLUSIVE lock on listening_events while it runs).
        var missing = await Db.ScalarAsync<long>("""
            SELECT count(*)
            FROM generate_series(date '2008-01-01', date_trunc('month', now() + interval '3 months')::date, interval '1 month') AS m(month)
            WHERE to_regclass(format('listening_events_y%sm%s', to_char(m.month, 'YYYY'), to_char(m.month, 'MM'))) IS NULL
            """);
        Assert.Equal(0L, missing);
        Assert.Null(await Db.ScalarAsync<string>("SELECT to_regclass('listening_events_y2007m12')::text"));
    }

    [Theory]
    [InlineData("users")]
    [InlineData("user_track_stats")]
    [InlineData("user_artist_stats")]
    [InlineData("user_album_stats")]
    [InlineData("user_time_bucket_stats")]
    [InlineData("user_hour_stats")]
    public async Task Hot_update_tables_have_fillfactor_90_and_early_autovacuum(string table)
    {
        var options = await Db.ScalarAsync<string[]>("SELECT reloptions FROM pg_class WHERE oid = $1::regclass", table);
        Assert.Contains("fillfactor=90", options!);
        Assert.Contains("autovacuum_vacuum_scale_factor=0.01", options!);
    }

    [Theory]
    [InlineData("user_month_tracks")]
    [InlineData("user_month_artists")]
    public async Task Month_arrays_are_compressed_with_lz4(string table)
    {
        // Every import batch rewrites its months' arrays; pglz made that merge twice as slow.
        var methods = await Db.ScalarAsync<string[]>("""
            SELECT array_agg(DISTINCT attcompression::text) FROM pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND atttypid::regtype::text LIKE '%[]'
            """, table);
        Assert.Equal(["l"], methods!);
    }

    [Theory]
    [InlineData("user_hour_stats", "hour BETWEEN 0 AND 23")]
    [InlineData("spotify_top_tracks", "rank BETWEEN 1 AND 50")]
    [InlineData("spotify_top_artists", "rank BETWEEN 1 AND 50")]
    [InlineData("listening_events", "ms_played >= 0")]
    [InlineData("listening_events", "played_at <= (now() + '1 day'::interval)")]
    [InlineData("import_jobs", "processed_rows <= total_rows")]
    [InlineData("user_track_stats", "play_count >= 0")]
    [InlineData("user_album_stats", "play_count >= 0")]
    [InlineData("user_album_stats", "skip_count <= play_count")]
    [InlineData("user_album_stats", "first_played_at <= last_played_at")]
    [InlineData("users", "total_play_count >= 0")]
    public async Task Check_constraints_guard_value_domains(string table, string fragment)
    {
        var defs = await Db.ScalarAsync<string[]>(
            "SELECT array_agg(pg_get_constraintdef(oid)) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'", table);
        var normalized = defs!.Select(d => d.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)).ToArray();
        var wanted = fragment.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal);
        var between = wanted.Contains("BETWEEN", StringComparison.Ordinal);
        Assert.True(normalized.Any(d => d.Contains(wanted, StringComparison.Ordinal) || (between && d.Contains(wanted.Split(' ')[0] + " >= ", StringComparison.Ordinal))),
            $"no CHECK with '{fragment}' on {table}: {string.Join(" | ", defs!)}");
    }

    private async Task<string[]> UniqueColumnSetsAsync(string table) =>
        (await Db.ScalarAsync<string[]>("""
            SELECT array_agg(cols) FROM (
                SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS cols
                FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = $1::regclass AND i.indisunique
                GROUP BY i.indexrelid) s
            """, table))!;
}
