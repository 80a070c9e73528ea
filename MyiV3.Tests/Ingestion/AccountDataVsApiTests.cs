using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Ingestion;

/// <summary>
/// Source priority for the account-data export: its play names a track by names and ends to the
/// minute, the API's play has Spotify's id and an estimated duration. The same play is one play, and
/// the export's exact ms_played wins, whichever arrives first.
/// </summary>
public sealed class AccountDataVsApiTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private const int ExactMs = 95_000;      // the listener skipped after 95 s
    private const int EstimatedMs = 240_000; // sync only knows the track's duration
    private static readonly DateTimeOffset End = At("2024-05-05T18:03:47Z");

    private TestDatabase Db => fixture.Db;

    [Theory]
    [InlineData(false)] // the API sent the end of playback
    [InlineData(true)]  // the API sent the start
    public async Task An_account_data_import_replaces_the_API_estimate_of_the_same_play(bool apiSentStart)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var apiTime = apiSentStart ? End.AddMilliseconds(-ExactMs).AddSeconds(2) : End.AddSeconds(-3);
        // Another song at the same moment: the names tell them apart.
        await engine.IngestAsync(user, PlaySource.Api, [ApiPlay("1111111111111111111111", "Song A", apiTime, EstimatedMs), ApiPlay("2222222222222222222222", "Song B", apiTime, 200_000)], ct);

        var result = await engine.IngestAsync(user, PlaySource.Import, [AccountPlay("Song A")], ct);

        Assert.Equal(1, result.Corrected);
        Assert.Equal((2L, ExactMs + 200_000L), await TotalsAsync(user));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND source = 'API' AND ms_played = $2", user, EstimatedMs));
        await AssertVerifiedAsync(stats, user);

        // The export again, or the API re-reporting the play, changes nothing.
        Assert.Equal(0, (await engine.IngestAsync(user, PlaySource.Import, [AccountPlay("Song A")], ct)).Inserted);
        Assert.Equal(0, (await engine.IngestAsync(user, PlaySource.Api, [ApiPlay("1111111111111111111111", "Song A", apiTime, EstimatedMs)], ct)).Inserted);
        Assert.Equal((2L, ExactMs + 200_000L), await TotalsAsync(user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Sync_reporting_a_play_the_account_data_export_holds_does_not_count_it_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import, [AccountPlay("Song C")], ct);

        // The start of the play, as Spotify sometimes sends it, more than a minute before the export's minute.
        var sameStart = await engine.IngestAsync(user, PlaySource.Api, [ApiPlay("3333333333333333333333", "Song C", End.AddMilliseconds(-ExactMs).AddSeconds(2), EstimatedMs)], ct);
        var sameEnd = await engine.IngestAsync(user, PlaySource.Api, [ApiPlay("3333333333333333333333", "Song C", End.AddSeconds(-2), EstimatedMs)], ct);
        // The same song ten minutes later is a second play.
        var later = await engine.IngestAsync(user, PlaySource.Api, [ApiPlay("3333333333333333333333", "Song C", End.AddMinutes(10), EstimatedMs)], ct);

        Assert.Equal((0, 0, 1), (sameStart.Inserted, sameEnd.Inserted, later.Inserted));
        Assert.Equal((2L, ExactMs + (long)EstimatedMs), await TotalsAsync(user));
        await AssertVerifiedAsync(stats, user);
    }

    /// <summary>The play as the account-data parser gives it: the end's minute plus ms_played mod 60 s (SameMinuteClock).</summary>
    private static PlayRecord AccountPlay(string track) =>
        Named(track, "Band", new DateTimeOffset(End.Year, End.Month, End.Day, End.Hour, End.Minute, 0, TimeSpan.Zero).AddMilliseconds(ExactMs % 60_000), ExactMs);

    private static PlayRecord ApiPlay(string id, string track, DateTimeOffset playedAt, int ms) => new()
    {
        PlayedAt = playedAt,
        MsPlayed = ms,
        TrackSpotifyId = id,
        TrackName = track,
        TrackDurationMs = ms,
        Artists = [new ArtistRef("Band", "0OdUWJ0sBjDrqHygGUXeCF")],
    };

    private async Task<(long Plays, long Ms)> TotalsAsync(long user) =>
        (await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user),
         await Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user));

    private static async Task AssertVerifiedAsync(StatsRebuilder stats, long user)
    {
        var diffs = await stats.VerifyAsync(user, TestContext.Current.CancellationToken);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
    }
}
