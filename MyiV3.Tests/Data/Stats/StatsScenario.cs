using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Data.Stats;

/// <summary>
/// One user's pre-aggregated tables, small enough to check by hand, plus a second user whose rows
/// must never leak into the first one's answers.
/// Today (for the presets) is 2024-03-15 in UTC.
/// </summary>
internal sealed record StatsScenario(long User, long Other, long Rock, long Pop, long AlbumWithCover, long AlbumPlain, long T1, long T2, long T3)
{
    public static readonly DateTimeOffset Now = new(2024, 3, 15, 12, 0, 0, TimeSpan.Zero);

    public static async Task<StatsScenario> SeedAsync(TestDatabase db)
    {
        var s = new StatsSeed(db);
        var user = await s.UserAsync(totalPlays: 22, totalMs: 22 * 180_000);
        var other = await s.UserAsync(totalPlays: 500, totalMs: 500 * 100_000);
        var rock = await s.ArtistAsync("Rock Band", ["rock", "indie"], "https://img.example/rock.jpg");
        var pop = await s.ArtistAsync("Pop Star", ["pop"]);
        var cover = await s.AlbumAsync("With Cover", "https://img.example/cover.jpg");
        var plain = await s.AlbumAsync("Plain");
        var t1 = await s.TrackAsync("One", cover, rock);
        var t2 = await s.TrackAsync("Two", cover, rock, pop);
        var t3 = await s.TrackAsync("Three", plain, pop);
        var t0 = DateTimeOffset.Parse("2024-01-10T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        await s.TrackStatsAsync(user, t1, 10, 10 * 180_000, 1, t0, t0.AddDays(64));
        await s.TrackStatsAsync(user, t2, 5, 5 * 180_000, 2, t0.AddDays(50), t0.AddDays(64));
        await s.TrackStatsAsync(user, t3, 7, 7 * 180_000, 0, t0, t0);
        await s.ArtistStatsAsync(user, rock, 15, 15 * 180_000, 3);
        await s.ArtistStatsAsync(user, pop, 12, 12 * 180_000, 2);
        await s.AlbumStatsAsync(user, cover, 15, 15 * 180_000, 3, t0, t0.AddDays(64));
        await s.AlbumStatsAsync(user, plain, 7, 7 * 180_000, 0, t0, t0);

        await s.TrackMonthAsync(user, new DateOnly(2024, 1, 1), t1, 2, 2 * 180_000);
        await s.TrackMonthAsync(user, new DateOnly(2024, 1, 1), t3, 7, 7 * 180_000);
        await s.TrackMonthAsync(user, new DateOnly(2024, 3, 1), t1, 8, 8 * 180_000, 1);
        await s.TrackMonthAsync(user, new DateOnly(2024, 3, 1), t2, 5, 5 * 180_000, 2);
        await s.ArtistMonthAsync(user, new DateOnly(2024, 1, 1), rock, 2, 2 * 180_000);
        await s.ArtistMonthAsync(user, new DateOnly(2024, 1, 1), pop, 7, 7 * 180_000);
        await s.ArtistMonthAsync(user, new DateOnly(2024, 3, 1), rock, 13, 13 * 180_000, 3);
        await s.ArtistMonthAsync(user, new DateOnly(2024, 3, 1), pop, 5, 5 * 180_000, 2);

        await s.BucketAsync(user, "DAY", new DateOnly(2024, 1, 10), 9, 9 * 180_000);
        await s.BucketAsync(user, "DAY", new DateOnly(2024, 3, 1), 3, 3 * 180_000, 1);
        await s.BucketAsync(user, "DAY", new DateOnly(2024, 3, 14), 10, 10 * 180_000, 2);
        await s.BucketAsync(user, "WEEK", new DateOnly(2024, 1, 8), 9, 9 * 180_000);
        await s.BucketAsync(user, "WEEK", new DateOnly(2024, 2, 26), 3, 3 * 180_000, 1);
        await s.BucketAsync(user, "WEEK", new DateOnly(2024, 3, 11), 10, 10 * 180_000, 2);
        await s.BucketAsync(user, "MONTH", new DateOnly(2024, 1, 1), 9, 9 * 180_000);
        await s.BucketAsync(user, "MONTH", new DateOnly(2024, 3, 1), 13, 13 * 180_000, 3);
        await s.HourAsync(user, 10, 20, 20 * 180_000, 3);
        await s.HourAsync(user, 22, 2, 2 * 180_000);
        await s.WeekdayHourAsync(user, 3, 10, 9, 9 * 180_000);
        await s.WeekdayHourAsync(user, 4, 22, 2, 2 * 180_000);
        await s.WeekdayHourAsync(user, 5, 10, 11, 11 * 180_000);

        // The plays themselves, as the tables above count them: the days at either end of a period are read from
        // these. 10 January: t1 ×2 and t3 ×7; 1 March: t1 ×3 (one skipped); 14 March: t1 ×5 and t2 ×5 (two skipped).
        for (var i = 0; i < 9; i++)
        {
            await s.EventAsync(user, i < 2 ? t1 : t3, t0.AddMinutes(i * 4), 180_000);
        }

        var march1 = DateTimeOffset.Parse("2024-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 3; i++)
        {
            await s.EventAsync(user, t1, march1.AddMinutes(i * 4), 180_000, skipped: i == 0);
        }

        var march14 = DateTimeOffset.Parse("2024-03-14T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 10; i++)
        {
            await s.EventAsync(user, i < 5 ? t1 : t2, march14.AddMinutes(i * 4), 180_000, skipped: i >= 8);
        }

        // The other user played the same catalog, a lot, in the same months.
        await s.TrackStatsAsync(other, t3, 500, 500 * 100_000, 400, t0, t0);
        await s.ArtistStatsAsync(other, pop, 500, 500 * 100_000, 400);
        await s.AlbumStatsAsync(other, plain, 500, 500 * 100_000, 400, t0, t0);
        await s.TrackMonthAsync(other, new DateOnly(2024, 3, 1), t3, 500, 500 * 100_000, 400);
        await s.ArtistMonthAsync(other, new DateOnly(2024, 3, 1), pop, 500, 500 * 100_000, 400);
        await s.BucketAsync(other, "DAY", new DateOnly(2024, 3, 14), 500, 500 * 100_000, 400);
        await s.HourAsync(other, 10, 500, 500 * 100_000, 400);
        await s.WeekdayHourAsync(other, 4, 10, 500, 500 * 100_000);
        await s.EventAsync(other, t3, Now.AddMinutes(-1), 100_000);

        return new StatsScenario(user, other, rock, pop, cover, plain, t1, t2, t3);
    }
}
