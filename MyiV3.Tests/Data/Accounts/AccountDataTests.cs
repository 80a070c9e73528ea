using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Accounts;
using MyiV3.Data.Entities;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Data.Accounts;

public sealed class AccountDataTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(long A, long B)> TwoUsersWithPlaysAsync()
    {
        var a = await TestUsers.CreateAsync(fixture.Db);
        var b = await TestUsers.CreateAsync(fixture.Db);
        var (engine, _, _) = EngineFactory.Create(fixture.Db);
        await engine.IngestAsync(a, PlaySource.Import,
        [
            Track("4uLU6hMCjMI75M1A2tKUQC", At("2023-05-01T10:00:00Z"), 200_000, artist: "Rick, \"the\" Singer", album: "Whenever"),
            Track("7GhIk7Il098yCjg4BQjzvb", At("2023-05-01T10:05:00Z"), 3_000, artist: "=Formula", skipped: true),
            Named("Old song", "Old artist", At("2019-02-03T04:05:00Z"), 120_000),
        ], Ct);
        await engine.IngestAsync(b, PlaySource.Import, [Track("0000000000000000000000", At("2023-05-02T10:00:00Z"), 100_000, artist: "Someone else")], Ct);
        return (a, b);
    }

    [Fact]
    public async Task Plays_export_as_extended_streaming_history_json_of_that_user_only()
    {
        var (a, _) = await TwoUsersWithPlaysAsync();
        using var buffer = new MemoryStream();
        await new AccountExport(fixture.Db.DataSource).WritePlaysJsonAsync(a, buffer, Ct);

        using var doc = JsonDocument.Parse(buffer.ToArray());
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("2019-02-03T04:05:00Z", rows[0].GetProperty("ts").GetString());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("spotify_track_uri").ValueKind); // known by name only
        var first = rows[1];
        Assert.Equal("2023-05-01T10:00:00Z", first.GetProperty("ts").GetString());
        Assert.Equal(200_000, first.GetProperty("ms_played").GetInt32());
        Assert.Equal("Track 4uLU6hMCjMI75M1A2tKUQC", first.GetProperty("master_metadata_track_name").GetString());
        Assert.Equal("Rick, \"the\" Singer", first.GetProperty("master_metadata_album_artist_name").GetString());
        Assert.Equal("Whenever", first.GetProperty("master_metadata_album_album_name").GetString());
        Assert.Equal("spotify:track:4uLU6hMCjMI75M1A2tKUQC", first.GetProperty("spotify_track_uri").GetString());
        Assert.Equal("trackdone", first.GetProperty("reason_start").GetString());
        Assert.False(first.GetProperty("skipped").GetBoolean());
        Assert.False(first.GetProperty("shuffle").GetBoolean());
        Assert.Equal("linux", first.GetProperty("platform").GetString());
        Assert.Equal("DE", first.GetProperty("conn_country").GetString());
        Assert.True(rows[2].GetProperty("skipped").GetBoolean());
        foreach (var field in new[] { "offline", "incognito_mode" })
        {
            Assert.True(first.TryGetProperty(field, out _), field);
        }

        Assert.DoesNotContain("Someone else", System.Text.Encoding.UTF8.GetString(buffer.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plays_export_as_csv_with_quoting_and_formula_neutralised()
    {
        var (a, _) = await TwoUsersWithPlaysAsync();
        using var buffer = new MemoryStream();
        await new AccountExport(fixture.Db.DataSource).WritePlaysCsvAsync(a, buffer, Ct);
        var lines = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("ts,ms_played,track_name,artist_name", lines[0], StringComparison.Ordinal);
        Assert.Contains(",\"Rick, \"\"the\"\" Singer\",", lines[2], StringComparison.Ordinal);
        Assert.Contains(",\"'=Formula\",", lines[3], StringComparison.Ordinal);
        Assert.EndsWith(",IMPORT", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_export_holds_settings_and_import_history()
    {
        var (a, _) = await TwoUsersWithPlaysAsync();
        await fixture.Db.ExecuteAsync("""
            INSERT INTO import_jobs (user_id, file_name, file_size, content_hash, status, processed_rows, imported_rows, duplicate_rows,
                                     skipped_non_music, skipped_zero_ms, skipped_invalid, created_at, updated_at)
            VALUES ($1, 'my_spotify_data.zip', 1234, repeat('a', 64), 'COMPLETED', 3, 3, 0, 0, 0, 0, now(), now())
            """, a);
        using var buffer = new MemoryStream();
        await new AccountExport(fixture.Db.DataSource).WriteProfileJsonAsync(a, buffer, Ct);
        using var doc = JsonDocument.Parse(buffer.ToArray());
        Assert.Equal(3, doc.RootElement.GetProperty("user").GetProperty("total_play_count").GetInt64());
        Assert.Equal("UTC", doc.RootElement.GetProperty("user").GetProperty("time_zone").GetString());
        Assert.Equal("my_spotify_data.zip", doc.RootElement.GetProperty("imports")[0].GetProperty("file_name").GetString());
        Assert.Equal("COMPLETED", doc.RootElement.GetProperty("imports")[0].GetProperty("status").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("spotify_top_tracks").GetArrayLength());
    }

    [Fact]
    public async Task Deleting_an_account_leaves_zero_rows_of_that_user_in_every_table_and_spares_others()
    {
        var (a, b) = await TwoUsersWithPlaysAsync();
        var upload = Path.Combine(Path.GetTempPath(), $"myi-upload-{Guid.NewGuid():N}.zip");
        await File.WriteAllTextAsync(upload, "x", Ct);
        await fixture.Db.ExecuteAsync("""
            INSERT INTO import_jobs (user_id, file_name, file_size, content_hash, storage_path, status, processed_rows, imported_rows, duplicate_rows,
                                     skipped_non_music, skipped_zero_ms, skipped_invalid, created_at, updated_at)
            VALUES ($1, 'a.zip', 1, repeat('b', 64), $2, 'PENDING', 0, 0, 0, 0, 0, 0, now(), now())
            """, a, upload);
        await new StatsSeed(fixture.Db).SpotifyTopTrackAsync(a, "SHORT_TERM", 1,
            await fixture.Db.ScalarAsync<long>("SELECT min(track_id) FROM user_track_stats WHERE user_id = $1", a));
        var tables = await UserTablesAsync();
        Assert.Contains("listening_events", tables);
        Assert.Contains("user_weekday_hour_stats", tables);
        var before = await CountsAsync(tables, a);
        Assert.True(before.Values.Sum() > 10);
        Assert.True(before["user_album_stats"] > 0);
        var othersBefore = await CountsAsync(tables, b);

        Assert.True(await new AccountEraser(fixture.Db.DataSource, NullLogger<AccountEraser>.Instance).DeleteAsync(a, Ct));

        Assert.All(await CountsAsync(tables, a), kv => Assert.True(kv.Value == 0, $"{kv.Key} still holds {kv.Value} rows"));
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM users WHERE id = $1", a));
        Assert.False(File.Exists(upload));
        Assert.Equal(othersBefore, await CountsAsync(tables, b));
        Assert.False(await new AccountEraser(fixture.Db.DataSource, NullLogger<AccountEraser>.Instance).DeleteAsync(a, Ct));
    }

    private async Task<List<string>> UserTablesAsync()
    {
        var list = new List<string>();
        await using var cmd = fixture.Db.DataSource.CreateCommand("""
            SELECT c.relname FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE att.attname = 'user_id' AND n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY 1
            """);
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private async Task<Dictionary<string, long>> CountsAsync(List<string> tables, long user)
    {
        var counts = new Dictionary<string, long>();
        foreach (var t in tables)
        {
            counts[t] = await fixture.Db.ScalarAsync<long>($"SELECT count(*) FROM {t} WHERE user_id = $1", user);
        }

        return counts;
    }
}
