using System.IO.Compression;
using System.Text;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>
/// A play known by its names only (the account-data export, the first endsong files of 2020) is a play of the
/// track an extended export names with the same names and its Spotify id: after the import it counts there —
/// one row in the top lists, on the track's album — and the same play from both exports counts once.
/// Each test uses names of its own: the catalog is shared by every test of the class.
/// </summary>
public sealed class NamedTrackMergeTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    public enum Order
    {
        NamesOnlyFirst,
        WithIdsFirst,
        OneZip,
    }

    [Theory]
    [InlineData(Order.NamesOnlyFirst)]
    [InlineData(Order.WithIdsFirst)]
    [InlineData(Order.OneZip)]
    public async Task A_play_only_the_account_data_has_counts_on_the_track_the_extended_export_names(Order order)
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var (song, band, id) = ($"Lone Song {order}", $"Lone Band {order}", TrackId('L', order));
        var extended = Json($$"""
            [{"ts":"2024-05-01T10:15:42Z","platform":"android","ms_played":200000,"conn_country":"DE",
              "master_metadata_track_name":"{{song}}","master_metadata_album_artist_name":"{{band}}","master_metadata_album_album_name":"Lone Record",
              "spotify_track_uri":"spotify:track:{{id}}","reason_start":"trackdone","reason_end":"trackdone",
              "shuffle":false,"skipped":false,"offline":false,"offline_timestamp":null,"incognito_mode":false}]
            """);
        // The twin of the extended play, and a play the extended export does not have (newer than it).
        var account = Json($$"""
            [{"endTime":"2024-05-01 10:15","artistName":"{{band}}","trackName":"{{song}}","msPlayed":200000},
             {"endTime":"2024-06-02 08:00","artistName":"{{band}}","trackName":"{{song}}","msPlayed":150000}]
            """);

        var jobs = await ImportAsync(h, user, order, ("Spotify Account Data/StreamingHistory_music_0.json", account),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2024.json", extended));

        Assert.All(jobs, j => Assert.Equal(JobStatus.Completed, j.Status));
        Assert.Equal((2L, 350_000L), await h.TotalsAsync(user));
        // One track, the one with the id, holding both plays; its album holds them too.
        Assert.Equal("1 2", await Db.ScalarAsync<string>(
            "SELECT count(*) || ' ' || sum(s.play_count) FROM user_track_stats s WHERE s.user_id = $1", user));
        Assert.Equal(2L, await Db.ScalarAsync<long>(
            "SELECT s.play_count FROM user_track_stats s JOIN tracks t ON t.id = s.track_id WHERE s.user_id = $1 AND t.spotify_id = $2", user, id));
        Assert.Equal(2L, await Db.ScalarAsync<long>(
            "SELECT s.play_count FROM user_album_stats s JOIN albums a ON a.id = s.album_id WHERE s.user_id = $1 AND a.name = 'Lone Record'", user));
        Assert.Equal(0L, await Db.ScalarAsync<long>(
            "SELECT count(*) FROM tracks WHERE is_provisional AND spotify_id = $1", CatalogKeys.NameKey(band, song)));
        await h.AssertVerifiedAsync(user);

        // Both again: nothing changes, and the account-data file finds the track through the merge's alias.
        var before = await h.SnapshotAsync(user, withLastIngested: false);
        await ImportAsync(h, user, order, ("Spotify Account Data/StreamingHistory_music_0.json", account),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2024.json", extended));
        Assert.Equal(before, await h.SnapshotAsync(user, withLastIngested: false));
        await h.AssertVerifiedAsync(user);
    }

    [Theory]
    [InlineData(Order.NamesOnlyFirst)]
    [InlineData(Order.WithIdsFirst)]
    [InlineData(Order.OneZip)]
    public async Task The_same_plays_in_an_endsong_file_without_track_ids_and_in_one_with_them_count_once(Order order)
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db, "Europe/Berlin");
        var names = Enumerable.Range(0, 3).Select(i => ($"Twice Song {order} {i}", $"Twice Band {order}", TrackId((char)('A' + i), order))).ToList();
        // Downloaded in 2020: the first endsong files name the tracks but hold no spotify_track_uri.
        var old = Json("[" + string.Join(",", names.Select((n, i) => $$"""
            {"ts":"2020-02-1{{i}}T16:31:21Z","username":"fake-2020-user","platform":"Android OS 9 API 28 (HUAWEI, BND-L21)","ms_played":29073{{i}},
             "conn_country":"DE","ip_addr_decrypted":"203.0.113.41","user_agent_decrypted":"unknown",
             "master_metadata_track_name":"{{n.Item1}}","master_metadata_album_artist_name":"{{n.Item2}}","master_metadata_album_album_name":"Twice Album",
             "episode_name":null,"episode_show_name":null,"reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":null,
             "offline":false,"offline_timestamp":1581438391000,"incognito_mode":false}
            """)) + "]");
        // Downloaded again later: the same plays, to the same second, with their ids.
        var later = Json("[" + string.Join(",", names.Select((n, i) => $$"""
            {"ts":"2020-02-1{{i}}T16:31:21Z","platform":"Android OS 9 API 28 (HUAWEI, BND-L21)","ms_played":29073{{i}},"conn_country":"DE","ip_addr":"203.0.113.41",
             "master_metadata_track_name":"{{n.Item1}}","master_metadata_album_artist_name":"{{n.Item2}}","master_metadata_album_album_name":"Twice Album",
             "spotify_track_uri":"spotify:track:{{n.Item3}}","episode_name":null,"episode_show_name":null,"spotify_episode_uri":null,
             "audiobook_title":null,"audiobook_uri":null,"audiobook_chapter_uri":null,"audiobook_chapter_title":null,
             "reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":false,"offline":false,"offline_timestamp":1581438391,"incognito_mode":false}
            """)) + "]");

        var jobs = await ImportAsync(h, user, order, ("MyData/endsong_0.json", old), ("Spotify Extended Streaming History/Streaming_History_Audio_2019-2020.json", later));

        Assert.All(jobs, j => Assert.Equal(JobStatus.Completed, j.Status));
        Assert.Equal((3L, 872_193L), await h.TotalsAsync(user));
        Assert.Equal(3L, await h.EventCountAsync(user));
        Assert.Equal(3L, await Db.ScalarAsync<long>("SELECT count(*) FROM user_track_stats WHERE user_id = $1", user));
        // What each job says it added adds up to the plays there are; the repeats are its duplicates.
        Assert.Equal(3L, jobs.Sum(j => j.ImportedRows));
        Assert.Equal(3L, jobs.Sum(j => j.DuplicateRows));
        await h.AssertVerifiedAsync(user);
    }

    [Fact]
    public async Task Names_two_of_spotifys_tracks_share_leave_a_play_known_by_names_apart()
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        // The album's version and the single's: the same names, two ids. Which one the account-data play was is unknown.
        var extended = Json("""
            [{"ts":"2024-03-01T10:00:00Z","platform":"ios","ms_played":180000,"master_metadata_track_name":"Shared Song","master_metadata_album_artist_name":"Shared Band",
              "master_metadata_album_album_name":"Shared Album","spotify_track_uri":"spotify:track:5hAredAlbumVersion0001","reason_start":"trackdone","reason_end":"trackdone"},
             {"ts":"2024-03-02T10:00:00Z","platform":"ios","ms_played":180000,"master_metadata_track_name":"Shared Song","master_metadata_album_artist_name":"Shared Band",
              "master_metadata_album_album_name":"Shared Single","spotify_track_uri":"spotify:track:5hAredSingleVersion001","reason_start":"trackdone","reason_end":"trackdone"}]
            """);
        var account = Json("""[{"endTime":"2024-04-01 10:00","artistName":"Shared Band","trackName":"Shared Song","msPlayed":170000}]""");

        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, extended, "Streaming_History_Audio_2024.json")).Status);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, account, "StreamingHistory_music_0.json")).Status);

        Assert.Equal((3L, 530_000L), await h.TotalsAsync(user));
        Assert.Equal(1L, await Db.ScalarAsync<long>(
            "SELECT count(*) FROM tracks WHERE is_provisional AND spotify_id = $1", CatalogKeys.NameKey("Shared Band", "Shared Song")));
        await h.AssertVerifiedAsync(user);
    }

    [Fact]
    public async Task Names_are_cataloged_without_the_spaces_around_them()
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var account = Json("""[{"endTime":"2024-04-01 10:00","artistName":"  Padded Band ","trackName":" Padded Song\t","msPlayed":170000}]""");

        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, account, "StreamingHistory_music_0.json")).Status);

        Assert.Equal("Padded Song|Padded Band", await Db.ScalarAsync<string>("""
            SELECT t.name || '|' || a.name FROM user_track_stats s JOIN tracks t ON t.id = s.track_id
            JOIN track_artists ta ON ta.track_id = t.id JOIN artists a ON a.id = ta.artist_id WHERE s.user_id = $1
            """, user));
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A 22-character id of its own per test case.</summary>
    private static string TrackId(char song, Order order) => $"{song}{(int)order}".PadRight(22, 'x');

    private static async Task<List<ImportJob>> ImportAsync(ImportHarness h, long user, Order order, (string Name, byte[] Content) namesOnly, (string Name, byte[] Content) withIds)
    {
        async Task<ImportJob> One((string Name, byte[] Content) file) => await h.ImportAsync(user, file.Content, Path.GetFileName(file.Name));
        return order switch
        {
            Order.NamesOnlyFirst => [await One(namesOnly), await One(withIds)],
            Order.WithIdsFirst => [await One(withIds), await One(namesOnly)],
            _ => [await h.ImportAsync(user, Zip(namesOnly, withIds), "my_spotify_data.zip")],
        };
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
