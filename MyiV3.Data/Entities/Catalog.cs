namespace MyiV3.Data.Entities;

// Provisional rows (made from an export before Spotify metadata is known) carry a synthetic
// spotify_id of the form "myi:<kind>:<hash of normalised names>" so the same unique key that
// deduplicates real ids also maps the same name to the same row.
public sealed class Track
{
    public long Id { get; set; }
    public required string SpotifyId { get; set; }
    public required string Name { get; set; }
    public long? AlbumId { get; set; }
    public int? DurationMs { get; set; }
    public short? Popularity { get; set; }
    public bool? Explicit { get; set; }
    public bool IsProvisional { get; set; }

    /// <summary>
    /// The provisional key of the names an export gave this track (<c>CatalogKeys.NameKey</c>): what an
    /// account-data play of it, which names a track but has no id, is keyed by. Lets an extended play
    /// and the same play from an account-data export be recognised as one.
    /// </summary>
    public string? NameKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Album? Album { get; set; }
    public List<TrackArtist> Artists { get; set; } = [];
}

public sealed class Artist
{
    public long Id { get; set; }
    public required string SpotifyId { get; set; }
    public required string Name { get; set; }
    public string[] Genres { get; set; } = [];
    public short? Popularity { get; set; }
    public string? ImageUrl { get; set; }
    public bool IsProvisional { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class Album
{
    public long Id { get; set; }
    public required string SpotifyId { get; set; }
    public required string Name { get; set; }
    public string? AlbumType { get; set; }
    /// <summary>As Spotify gives it: "2019", "2019-05" or "2019-05-17".</summary>
    public string? ReleaseDate { get; set; }
    public string? ImageUrl { get; set; }
    public int? TotalTracks { get; set; }
    public bool IsProvisional { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class TrackArtist
{
    public long TrackId { get; set; }
    public long ArtistId { get; set; }
    /// <summary>0 for the primary artist, then Spotify's order.</summary>
    public short Position { get; set; }

    public Track? Track { get; set; }
    public Artist? Artist { get; set; }
}

/// <summary>
/// A provisional track key (made from an export's names) whose track was merged into a real Spotify
/// track: the catalog maps the key to that track, so importing the same export again finds its plays
/// already there instead of counting them a second time on a new provisional track.
/// </summary>
public sealed class TrackAlias
{
    public required string SpotifyId { get; set; }
    public long TrackId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public Track? Track { get; set; }
}
