using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;

namespace MyiV3.Bench;

internal static class GeneratedPlays
{
    /// <summary>The generator's distinct plays as the parser would produce them from the export (album artist only).</summary>
    public static IEnumerable<PlayRecord> Records(HistoryGeneratorOptions options) =>
        new HistoryGenerator(options).ExpectedPlays().Select(p => new PlayRecord
        {
            PlayedAt = new DateTimeOffset(DateTime.SpecifyKind(p.EndedAt, DateTimeKind.Utc)),
            MsPlayed = p.MsPlayed,
            TrackSpotifyId = p.Track.SpotifyId,
            TrackName = p.Track.Name,
            Artists = [new ArtistRef(p.Track.Album.Artist.Name)],
            AlbumName = p.Track.Album.Name,
            Skipped = p.Skipped,
            Shuffle = p.Shuffle,
            ReasonStart = p.ReasonStart,
            ReasonEnd = p.ReasonEnd,
            Platform = p.Platform,
            ConnCountry = p.ConnCountry,
            Offline = p.Offline,
            Incognito = p.Incognito,
        });
}
