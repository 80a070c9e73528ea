using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;

namespace MyiV3.Bench;

/// <summary>
/// The baseline the engine is measured against (never used by the app): the textbook EF Core way,
/// one event and its stat upserts per SaveChanges, read-modify-write on every statistic.
/// </summary>
internal sealed class NaiveEfIngestor(IDbContextFactory<MyiDbContext> factory)
{
    public async Task IngestAsync(long userId, PlayRecord p, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trackKey = CatalogKeys.Track(p);
        var track = await db.Tracks.Include(t => t.Artists).SingleOrDefaultAsync(t => t.SpotifyId == trackKey, ct);
        if (track is null)
        {
            track = new Track { SpotifyId = trackKey, Name = p.TrackName, IsProvisional = p.TrackSpotifyId is null };
            foreach (var (a, i) in p.Artists.Select((a, i) => (a, i)))
            {
                var artistKey = CatalogKeys.Artist(a);
                var artist = await db.Artists.SingleOrDefaultAsync(x => x.SpotifyId == artistKey, ct)
                    ?? db.Artists.Local.SingleOrDefault(x => x.SpotifyId == artistKey)
                    ?? db.Artists.Add(new Artist { SpotifyId = artistKey, Name = a.Name, IsProvisional = a.SpotifyId is null }).Entity;
                track.Artists.Add(new TrackArtist { Artist = artist, Position = (short)i });
            }

            db.Tracks.Add(track);
            await db.SaveChangesAsync(ct);
        }

        if (await db.ListeningEvents.AnyAsync(e => e.UserId == userId && e.TrackId == track.Id && e.PlayedAt == p.PlayedAt, ct))
        {
            return;
        }

        db.ListeningEvents.Add(new ListeningEvent { UserId = userId, TrackId = track.Id, PlayedAt = p.PlayedAt, MsPlayed = p.MsPlayed, Source = PlaySource.Import, Skipped = p.Skipped });
        var skip = p.Skipped == true ? 1 : 0;
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        user.TotalPlayCount++;
        user.TotalListeningMs += p.MsPlayed;

        var ts = await db.UserTrackStats.FindAsync([userId, track.Id], ct)
            ?? db.UserTrackStats.Add(new UserTrackStats { UserId = userId, TrackId = track.Id, FirstPlayedAt = p.PlayedAt, LastPlayedAt = p.PlayedAt }).Entity;
        Bump(ts, p, skip);
        foreach (var ta in track.Artists)
        {
            var s = await db.UserArtistStats.FindAsync([userId, ta.ArtistId], ct)
                ?? db.UserArtistStats.Add(new UserArtistStats { UserId = userId, ArtistId = ta.ArtistId, FirstPlayedAt = p.PlayedAt, LastPlayedAt = p.PlayedAt }).Entity;
            s.PlayCount++;
            s.TotalMs += p.MsPlayed;
            s.SkipCount += skip;
            s.LastPlayedAt = p.PlayedAt > s.LastPlayedAt ? p.PlayedAt : s.LastPlayedAt;
            s.FirstPlayedAt = p.PlayedAt < s.FirstPlayedAt ? p.PlayedAt : s.FirstPlayedAt;
        }

        var local = p.PlayedAt.UtcDateTime;
        var day = DateOnly.FromDateTime(local);
        foreach (var (type, date) in new[]
                 {
                     (BucketType.Day, day),
                     (BucketType.Week, day.AddDays(-(((int)day.DayOfWeek + 6) % 7))),
                     (BucketType.Month, new DateOnly(day.Year, day.Month, 1)),
                 })
        {
            var b = await db.UserTimeBucketStats.FindAsync([userId, type, date], ct)
                ?? db.UserTimeBucketStats.Add(new UserTimeBucketStats { UserId = userId, BucketType = type, BucketDate = date }).Entity;
            b.PlayCount++;
            b.TotalMs += p.MsPlayed;
            b.SkipCount += skip;
        }

        var h = await db.UserHourStats.FindAsync([userId, (short)local.Hour], ct)
            ?? db.UserHourStats.Add(new UserHourStats { UserId = userId, Hour = (short)local.Hour }).Entity;
        h.PlayCount++;
        h.TotalMs += p.MsPlayed;
        h.SkipCount += skip;
        await db.SaveChangesAsync(ct);
    }

    private static void Bump(UserTrackStats s, PlayRecord p, int skip)
    {
        s.PlayCount++;
        s.TotalMs += p.MsPlayed;
        s.SkipCount += skip;
        s.LastPlayedAt = p.PlayedAt > s.LastPlayedAt ? p.PlayedAt : s.LastPlayedAt;
        s.FirstPlayedAt = p.PlayedAt < s.FirstPlayedAt ? p.PlayedAt : s.FirstPlayedAt;
    }
}
