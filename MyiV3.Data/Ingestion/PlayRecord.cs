using System.Globalization;

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
/// Staged rows of an import from <paramref name="First"/> to <paramref name="Last"/> in (played_at, ord)
/// order; once applied, the first <paramref name="AppliedThrough"/> rows in that order are.
/// </summary>
public sealed record StagedSlice(StagedRowKey First, StagedRowKey Last, int Count, long AppliedThrough);

/// <summary>A staged row's place in time order: when it was played, then its place in the file.</summary>
public readonly record struct StagedRowKey(DateTimeOffset PlayedAt, long Ord)
{
    /// <summary>As a SQL row literal, exact to the microsecond that PostgreSQL stores.</summary>
    public string Literal => string.Create(CultureInfo.InvariantCulture,
        $"ROW('{PlayedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'::timestamptz, {Ord}::bigint)");
}
