using MyiV3.Data.Ingestion;

namespace MyiV3.Tests.Fixtures;

/// <summary>Hand-made plays for engine tests: small, readable, exact.</summary>
public static class Plays
{
    public static PlayRecord Track(string trackId, DateTimeOffset endedAt, int ms, string artist = "Artist", bool skipped = false, string? album = "Album") => new()
    {
        PlayedAt = endedAt,
        MsPlayed = ms,
        TrackSpotifyId = trackId,
        TrackName = "Track " + trackId,
        Artists = [new ArtistRef(artist)],
        AlbumName = album,
        Skipped = skipped,
        Shuffle = false,
        ReasonStart = "trackdone",
        ReasonEnd = skipped ? "fwdbtn" : "trackdone",
        Platform = "linux",
        ConnCountry = "DE",
    };

    /// <summary>A play as the recently-played API reports it: ids for everything, duration estimated.</summary>
    public static PlayRecord Api(string trackId, DateTimeOffset playedAt, int durationMs, params (string Name, string Id)[] artists) => new()
    {
        PlayedAt = playedAt,
        MsPlayed = durationMs,
        TrackSpotifyId = trackId,
        TrackName = "Track " + trackId,
        TrackDurationMs = durationMs,
        Artists = artists.Length == 0 ? [new ArtistRef("Artist")] : artists.Select(a => new ArtistRef(a.Name, a.Id)).ToArray(),
    };

    /// <summary>A play from the account-data export: names only.</summary>
    public static PlayRecord Named(string track, string artist, DateTimeOffset endedAt, int ms) => new()
    {
        PlayedAt = endedAt,
        MsPlayed = ms,
        TrackName = track,
        Artists = [new ArtistRef(artist)],
    };

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
