namespace MyiV3.Data.Ingestion;

/// <summary>An artist as a source names it: always a name, a Spotify id when the source has one.</summary>
public readonly record struct ArtistRef(string Name, string? SpotifyId = null);

/// <summary>
/// One play, as any source (export file, recently-played API) reports it, ready for ingestion.
/// Carries no personal data beyond the play itself: never IP address, user agent or username.
/// </summary>
public sealed record PlayRecord
{
    /// <summary>When playback ended, UTC.</summary>
    public required DateTimeOffset PlayedAt { get; init; }
    public required int MsPlayed { get; init; }

    /// <summary>The 22-character Spotify track id (not the URI); null in the account-data export.</summary>
    public string? TrackSpotifyId { get; init; }
    public required string TrackName { get; init; }

    /// <summary>The first is the primary (album) artist. Never empty.</summary>
    public required IReadOnlyList<ArtistRef> Artists { get; init; }

    public string? AlbumSpotifyId { get; init; }
    public string? AlbumName { get; init; }
    public int? TrackDurationMs { get; init; }

    public bool? Skipped { get; init; }
    public bool? Shuffle { get; init; }
    public string? ReasonStart { get; init; }
    public string? ReasonEnd { get; init; }
    public string? Platform { get; init; }
    public string? ConnCountry { get; init; }
    public bool? Offline { get; init; }
    public bool? Incognito { get; init; }
}

/// <summary>
/// Staged rows of an import ranked <paramref name="FirstRank"/> to <paramref name="LastRank"/> in time
/// order (played_at, then place in the file), played from <paramref name="From"/> to <paramref name="To"/>;
/// once applied, the first <paramref name="LastRank"/> rows in that order are. The slice is the rows
/// from (<paramref name="From"/>, <paramref name="FirstOrd"/>) to (<paramref name="To"/>, <paramref name="LastOrd"/>)
/// in that order: ord numbers the rows of the file, so the pair names exactly one row.
/// </summary>
public sealed record StagedSlice(long FirstRank, long LastRank, DateTimeOffset From, DateTimeOffset To, long FirstOrd, long LastOrd)
{
    public int Count => (int)(LastRank - FirstRank + 1);

    /// <summary>Whether the import holds account-data plays, which may have an extended twin stored (03_Twins.sql).</summary>
    public bool AccountRows { get; init; }
}
