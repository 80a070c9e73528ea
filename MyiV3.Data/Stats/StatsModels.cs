using MyiV3.Data.Entities;

namespace MyiV3.Data.Stats;

/// <summary>
/// Totals for a period. Distinct counts of a date range cover the whole months it touches. <see cref="Days"/> is the
/// days the period spans: a date range's own, for all time the user's first to last day with a play (in their zone).
/// </summary>
public sealed record PeriodTotals(long Plays, long TotalMs, long Skips, long DistinctTracks, long DistinctArtists, long Days)
{
    public static PeriodTotals None { get; } = new(0, 0, 0, 0, 0, 0);

    public double SkipRate => Plays == 0 ? 0 : (double)Skips / Plays;
    public double Hours => TotalMs / 3_600_000d;
    public long MsPerDay => Days == 0 ? 0 : TotalMs / Days;
}

/// <summary>A row of a top list. <see cref="SubtitleId"/> is the artist a track or album links to.</summary>
public sealed record TopEntry(long Id, string Name, string? Subtitle, long? SubtitleId, string? ImageUrl, long Plays, long TotalMs);

public sealed record GenreShare(string Genre, long Plays);

/// <summary>One bucket of an activity series; gaps are filled with zero buckets.</summary>
public sealed record ActivityPoint(DateOnly Date, long Plays, long TotalMs);

public sealed record HourPoint(int Hour, long Plays, long TotalMs);

/// <summary>Plays per ISO weekday (index 0 = Monday) and local hour.</summary>
public sealed record WeekdayHourGrid(long[][] Plays)
{
    public long Max => Plays.Max(r => r.Length == 0 ? 0 : r.Max());
    public long Total => Plays.Sum(r => r.Sum());
}

public sealed record SpotifyTopEntry(Term Term, int Rank, long Id, string Name, string? Subtitle, string? ImageUrl, DateTimeOffset FetchedAt);

public sealed record LatestPlay(DateTimeOffset PlayedAt, int MsPlayed, bool? Skipped, long TrackId, string TrackName, long? ArtistId, string? ArtistName, string? ImageUrl);

public sealed record MonthPoint(DateOnly Month, long Plays, long TotalMs);

/// <summary>A user's figures for one track, artist or album.</summary>
public sealed record ItemStats(long Plays, long TotalMs, long Skips, DateTimeOffset? FirstPlayedAt, DateTimeOffset? LastPlayedAt, long UserTotalPlays)
{
    public double SkipRate => Plays == 0 ? 0 : (double)Skips / Plays;
    public double ShareOfListening => UserTotalPlays == 0 ? 0 : (double)Plays / UserTotalPlays;
}

public sealed record NamedRef(long Id, string Name);

public sealed record TrackDetail(long Id, string Name, int? DurationMs, NamedRef? Album, string? ImageUrl, IReadOnlyList<NamedRef> Artists, ItemStats Stats, IReadOnlyList<MonthPoint> PlaysByMonth);

public sealed record ArtistDetail(long Id, string Name, string? ImageUrl, IReadOnlyList<string> Genres, ItemStats Stats, IReadOnlyList<MonthPoint> PlaysByMonth, IReadOnlyList<TopEntry> TopTracks, IReadOnlyList<TopEntry> TopAlbums);

public sealed record AlbumDetail(long Id, string Name, string? ImageUrl, string? ReleaseDate, NamedRef? Artist, ItemStats Stats, IReadOnlyList<MonthPoint> PlaysByMonth, IReadOnlyList<TopEntry> TopTracks);
