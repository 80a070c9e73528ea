using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Spotify;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>
/// Spotify's two exports hold the same plays twice: the account-data export (StreamingHistory*.json,
/// the last year, to the minute, by names) and the extended one (to the second, with ids). However a
/// person uploads them — one after the other in either order, or together in one ZIP — every play
/// counts once, the extended row wins, and a play only the account-data file has still counts.
/// </summary>
public sealed class ExportTwinsTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private const long LonePlayMs = 123_456;
    private const string TwinTrackId = "4uLU6hMCjMI75M1A2tKUQC";
    private const string TwinArtistId = "0OdUWJ0sBjDrqHygGUXeCF";

    private const string TwinExtended = """
        [{"ts":"2024-05-01T10:15:42Z","platform":"android","ms_played":200000,"conn_country":"DE",
          "master_metadata_track_name":"Song A","master_metadata_album_artist_name":"Band","master_metadata_album_album_name":"Record",
          "spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC","reason_start":"trackdone","reason_end":"trackdone",
          "shuffle":false,"skipped":false,"offline":false,"offline_timestamp":null,"incognito_mode":false}]
        """;

    // The twin; the same track one minute on but shorter (a second play); the same length an hour on; another song.
    private const string TwinAccount = """
        [{"endTime":"2024-05-01 10:15","artistName":"Band","trackName":"Song A","msPlayed":200000},
         {"endTime":"2024-05-01 10:16","artistName":"Band","trackName":"Song A","msPlayed":5000},
         {"endTime":"2024-05-01 11:15","artistName":"Band","trackName":"Song A","msPlayed":200000},
         {"endTime":"2024-05-01 10:15","artistName":"Band","trackName":"Song B","msPlayed":200000}]
        """;
    private TestDatabase Db => fixture.Db;

    public enum Upload
    {
        AccountDataFirst,
        ExtendedFirst,
        OneZip,
        ZipOfBothZips,
    }

    [Theory]
    [InlineData(Upload.AccountDataFirst)]
    [InlineData(Upload.ExtendedFirst)]
    [InlineData(Upload.OneZip)]
    [InlineData(Upload.ZipOfBothZips)]
    public async Task Both_exports_of_one_history_count_every_play_once_however_they_are_uploaded(Upload upload)
    {
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = "1500" });
        var user = await TestUsers.CreateAsync(Db, "America/New_York");
        var (zip, expected, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 5_000, Seed = 23, Years = 2, RowsPerFile = 1_200, OverlapRows = 40 });
        var (account, twinRows) = AccountDataOf(zip);
        Assert.True(twinRows > 1_000, $"the account-data file should repeat the extended export's last year ({twinRows} rows)");

        foreach (var job in await ImportAsync(h, user, upload, zip, account))
        {
            Assert.Equal(JobStatus.Completed, job.Status);
        }

        // Exactly the extended export's plays, and the two only the account-data file has.
        Assert.Equal((expected.DistinctPlays + 2, expected.TotalMsPlayed + (2 * LonePlayMs)), await h.TotalsAsync(user));
        Assert.Equal(expected.DistinctPlays + 2, await h.EventCountAsync(user));
        // Every play the extended export has is stored as the extended play (to the second, with its platform).
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND platform IS NULL", user));
        await h.AssertVerifiedAsync(user);

        // Uploading both again changes nothing.
        var before = await h.SnapshotAsync(user, withLastIngested: false);
        await ImportAsync(h, user, upload, zip, account);
        Assert.Equal(before, await h.SnapshotAsync(user, withLastIngested: false));
        await h.AssertVerifiedAsync(user);
    }

    [Fact]
    public async Task In_one_zip_the_account_data_twins_count_as_duplicates_of_the_upload()
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 2_000, Seed = 5, Years = 1 });
        var (account, twinRows) = AccountDataOf(zip);

        var job = (await ImportAsync(h, user, Upload.OneZip, zip, account)).Single();

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(expected.DistinctPlays + 2, job.ImportedRows);
        // Staged: the extended rows and the two lone ones; every twin is left out as a duplicate.
        Assert.Equal(expected.PlayRows + 2, job.StagedRows);
        Assert.Equal(job.StagedRows, job.AppliedRows);
        Assert.Equal(expected.DuplicatePlayRows + twinRows, job.DuplicateRows);
        await h.AssertVerifiedAsync(user);
    }

    [Fact]
    public async Task Only_a_play_with_the_same_names_the_same_length_and_the_same_minute_is_a_twin()
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, System.Text.Encoding.UTF8.GetBytes(TwinAccount), "StreamingHistory_music_0.json")).Status);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, System.Text.Encoding.UTF8.GetBytes(TwinExtended), "Streaming_History_Audio_2024.json")).Status);

        Assert.Equal((4L, 605_000L), await h.TotalsAsync(user));
        Assert.Equal("10:15:42", await Db.ScalarAsync<string>(
            "SELECT to_char(played_at AT TIME ZONE 'UTC', 'HH24:MI:SS') FROM listening_events WHERE user_id = $1 AND platform IS NOT NULL", user));
        await h.AssertVerifiedAsync(user);
    }

    [Fact]
    public async Task Account_data_plays_merged_into_spotifys_track_are_still_found_by_the_extended_export()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        // A song of its own, so that no other test here has merged or cataloged it.
        const string TrackId = "7ouMYWpwJ422jRcDASZB7P";
        var (extended, account) = TwinFilesOf("Song M", "Song N", TrackId);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, account, "StreamingHistory_music_0.json")).Status);
        // Spotify's track, as sync cataloged it for someone else (under other names), then the metadata job's merge.
        var other = await TestUsers.CreateAsync(Db);
        await h.Engine.IngestAsync(other, PlaySource.Api, [Plays.Api(TrackId, DateTimeOffset.UtcNow.AddDays(-1), 200_000, ("Band", TwinArtistId))], ct);
        var merger = new ProvisionalMerger(Db.DataSource, h.Stats, NullLogger<ProvisionalMerger>.Instance);
        Assert.Equal(1, await merger.MergeAsync(
            [new SpotifyTrack(TrackId, "Song M", 200_000, false, 50, null, [new SpotifySimpleArtist(TwinArtistId, "Band")], false)], ct));

        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, extended, "Streaming_History_Audio_2024.json")).Status);

        Assert.Equal((4L, 605_000L), await h.TotalsAsync(user));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND platform IS NOT NULL", user));
        await h.AssertVerifiedAsync(user);
        await h.AssertVerifiedAsync(other);
    }

    [Fact]
    public async Task An_account_data_export_uploaded_after_the_upgrade_finds_the_extended_plays_imported_before_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        // A song of its own, so that no other test here has cataloged it.
        const string TrackId = "1hKdDCpiI9mqz1jVHRKG0E";
        var (extended, account) = TwinFilesOf("Song U", "Song V", TrackId);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, extended, "Streaming_History_Audio_2024.json")).Status);
        // The track as a build before AccountDataTwins cataloged it: no name key.
        await Db.ExecuteAsync("UPDATE tracks SET name_key = NULL WHERE spotify_id = $1", TrackId);

        // What the start-up after the upgrade does (MigrateMyiDatabaseAsync).
        Assert.True(await NameKeyBackfill.RunAsync(Db.DataSource, ct) >= 1);
        Assert.Equal(CatalogKeys.NameKey("Band", "Song U"),
            await Db.ScalarAsync<string>("SELECT name_key FROM tracks WHERE spotify_id = $1", TrackId));
        Assert.Equal(0, await NameKeyBackfill.RunAsync(Db.DataSource, ct));

        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, account, "StreamingHistory_music_0.json")).Status);
        Assert.Equal((4L, 605_000L), await h.TotalsAsync(user));
        await h.AssertVerifiedAsync(user);
    }

    /// <summary>The twin files for a song of a test's own (<paramref name="song"/> in place of "Song A", <paramref name="otherSong"/> of "Song B").</summary>
    private static (byte[] Extended, byte[] Account) TwinFilesOf(string song, string otherSong, string trackId) => (
        System.Text.Encoding.UTF8.GetBytes(TwinExtended.Replace("Song A", song, StringComparison.Ordinal).Replace(TwinTrackId, trackId, StringComparison.Ordinal)),
        System.Text.Encoding.UTF8.GetBytes(TwinAccount.Replace("Song A", song, StringComparison.Ordinal).Replace("Song B", otherSong, StringComparison.Ordinal)));

    private static async Task<List<ImportJob>> ImportAsync(ImportHarness h, long user, Upload upload, string zip, byte[] account) => upload switch
    {
        Upload.AccountDataFirst => [await h.ImportAsync(user, account, "StreamingHistory_music_0.json"), await h.ImportAsync(user, zip)],
        Upload.ExtendedFirst => [await h.ImportAsync(user, zip), await h.ImportAsync(user, account, "StreamingHistory_music_0.json")],
        Upload.OneZip => [await h.ImportAsync(user, WithEntry(zip, "Spotify Account Data/StreamingHistory_music_0.json", account), "my_spotify_data.zip")],
        _ => [await h.ImportAsync(user, BothZipped(zip, account), "spotify.zip")],
    };

    /// <summary>The two downloads Spotify sends, both called my_spotify_data.zip, packed together into one ZIP.</summary>
    private static byte[] BothZipped(string zip, byte[] account)
    {
        using var accountZip = new MemoryStream();
        using (var archive = new ZipArchive(accountZip, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = archive.CreateEntry("Spotify Account Data/StreamingHistory_music_0.json").Open())
        {
            entry.Write(account);
        }

        using var both = new MemoryStream();
        using (var archive = new ZipArchive(both, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in new[] { ("my_spotify_data (1).zip", accountZip.ToArray()), ("my_spotify_data.zip", File.ReadAllBytes(zip)) })
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(content);
            }
        }

        return both.ToArray();
    }

    /// <summary>
    /// The account-data file Spotify would write for the last year of this extended export: each song
    /// play to the minute, by names; plus two plays of a song the extended export does not have.
    /// Returns the file and how many of its rows repeat an extended row.
    /// </summary>
    private static (byte[] Json, int TwinRows) AccountDataOf(string zip)
    {
        var rows = new List<JsonObject>();
        using (var archive = ZipFile.OpenRead(zip))
        {
            foreach (var entry in archive.Entries.Where(e => e.Name.StartsWith("Streaming_History_Audio", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                foreach (var row in JsonNode.Parse(stream)!.AsArray().Select(r => r!.AsObject()))
                {
                    if (row["spotify_track_uri"] is null || row["ms_played"]!.GetValue<long>() <= 0)
                    {
                        continue;
                    }

                    rows.Add(new JsonObject
                    {
                        ["endTime"] = DateTimeOffset.Parse(row["ts"]!.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        ["artistName"] = row["master_metadata_album_artist_name"]!.GetValue<string>(),
                        ["trackName"] = row["master_metadata_track_name"]!.GetValue<string>(),
                        ["msPlayed"] = row["ms_played"]!.GetValue<long>(),
                    });
                }
            }
        }

        var lastYear = rows.Max(r => r["endTime"]!.GetValue<string>())![..4];
        var kept = rows.Where(r => string.CompareOrdinal(r["endTime"]!.GetValue<string>(), lastYear) >= 0).OrderBy(r => r["endTime"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        var twinRows = kept.Count;
        kept.Add(new JsonObject { ["endTime"] = "2007-03-01 12:00", ["artistName"] = "Only In Account Data", ["trackName"] = "Lone Song", ["msPlayed"] = LonePlayMs });
        kept.Add(new JsonObject { ["endTime"] = "2007-03-02 08:30", ["artistName"] = "Only In Account Data", ["trackName"] = "Lone Song", ["msPlayed"] = LonePlayMs });
        return (JsonSerializer.SerializeToUtf8Bytes(new JsonArray([.. kept])), twinRows);
    }

    private static byte[] WithEntry(string zip, string name, byte[] content)
    {
        using var copy = new MemoryStream();
        using (var source = File.OpenRead(zip))
        {
            source.CopyTo(copy);
        }

        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name).Open();
            entry.Write(content);
        }

        return copy.ToArray();
    }
}
