namespace MyiV3.Data.Entities;

public sealed class UserTrackStats
{
    public long UserId { get; set; }
    public long TrackId { get; set; }
    public long PlayCount { get; set; }
    public long TotalMs { get; set; }
    public long SkipCount { get; set; }
    public DateTimeOffset FirstPlayedAt { get; set; }
    public DateTimeOffset LastPlayedAt { get; set; }

    public Track? Track { get; set; }
}

public sealed class UserArtistStats
{
    public long UserId { get; set; }
    public long ArtistId { get; set; }
    public long PlayCount { get; set; }
    public long TotalMs { get; set; }
    public long SkipCount { get; set; }
    public DateTimeOffset FirstPlayedAt { get; set; }
    public DateTimeOffset LastPlayedAt { get; set; }

    public Artist? Artist { get; set; }
}

/// <summary>Per user and album, through tracks.album_id (a track's album is fixed when it is first cataloged).</summary>
public sealed class UserAlbumStats
{
    public long UserId { get; set; }
    public long AlbumId { get; set; }
    public long PlayCount { get; set; }
    public long TotalMs { get; set; }
    public long SkipCount { get; set; }
    public DateTimeOffset FirstPlayedAt { get; set; }
    public DateTimeOffset LastPlayedAt { get; set; }

    public Album? Album { get; set; }
}

/// <summary>Plays per local day, ISO week (starting Monday) or month, in the user's time zone.</summary>
public sealed class UserTimeBucketStats
{
    public long UserId { get; set; }
    public BucketType BucketType { get; set; }
    public DateOnly BucketDate { get; set; }
    public long PlayCount { get; set; }
    public long TotalMs { get; set; }
    public long SkipCount { get; set; }
}

/// <summary>Plays per local hour of day (0–23).</summary>
public sealed class UserHourStats
{
    public long UserId { get; set; }
    public short Hour { get; set; }
    public long PlayCount { get; set; }
    public long TotalMs { get; set; }
    public long SkipCount { get; set; }
}

/// <summary>Plays per local weekday (ISO: 1 = Monday … 7 = Sunday) and hour; the heat map reads it.</summary>
public sealed class UserWeekdayHourStats
{
    public long UserId { get; set; }
    public short Weekday { get; set; }
    public short Hour { get; set; }
    public long PlayCount { get; set; }
    public long TotalMs { get; set; }
}

/// <summary>
/// Per user and local month, every track played in it with its counters, as parallel arrays sorted by
/// track id: answers top lists for a date range without raw events. One row a month, not one per
/// track and month — those were about as many rows as plays, and writing them cost an import more than
/// all the other statistics together.
/// </summary>
public sealed class UserMonthTracks
{
    public long UserId { get; set; }
    public DateOnly Month { get; set; }
    public long[] TrackIds { get; set; } = [];
    public int[] PlayCounts { get; set; } = [];
    public long[] TotalMs { get; set; } = [];
    public int[] SkipCounts { get; set; } = [];
}

/// <summary>Per user and local month, every artist played in it (through track_artists), as <see cref="UserMonthTracks"/>.</summary>
public sealed class UserMonthArtists
{
    public long UserId { get; set; }
    public DateOnly Month { get; set; }
    public long[] ArtistIds { get; set; } = [];
    public int[] PlayCounts { get; set; } = [];
    public long[] TotalMs { get; set; } = [];
    public int[] SkipCounts { get; set; } = [];
}
