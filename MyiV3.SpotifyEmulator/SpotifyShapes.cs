using System.Globalization;

namespace MyiV3.SpotifyEmulator;

// Spotify's Web API JSON shapes (serialised snake_case; null members are left out, which is
// how the development-mode restrictions drop genres and popularity).
internal sealed record ExternalUrls(string Spotify);

internal sealed record ImageObject(string Url, int Height, int Width);

internal sealed record SimplifiedArtistObject(ExternalUrls ExternalUrls, string Href, string Id, string Name, string Type, string Uri);

internal sealed record ArtistObject(
    ExternalUrls ExternalUrls, string Href, string Id, string Name, string Type, string Uri,
    IReadOnlyList<ImageObject> Images, IReadOnlyList<string>? Genres, int? Popularity);

internal sealed record SimplifiedAlbumObject(
    string AlbumType, int TotalTracks, ExternalUrls ExternalUrls, string Href, string Id,
    IReadOnlyList<ImageObject> Images, string Name, string ReleaseDate, string ReleaseDatePrecision,
    string Type, string Uri, IReadOnlyList<SimplifiedArtistObject> Artists);

internal sealed record AlbumObject(
    string AlbumType, int TotalTracks, ExternalUrls ExternalUrls, string Href, string Id,
    IReadOnlyList<ImageObject> Images, string Name, string ReleaseDate, string ReleaseDatePrecision,
    string Type, string Uri, IReadOnlyList<SimplifiedArtistObject> Artists,
    PagingObject<SimplifiedTrackObject> Tracks, string Label, int? Popularity);

internal sealed record SimplifiedTrackObject(
    IReadOnlyList<SimplifiedArtistObject> Artists, int DiscNumber, int DurationMs, bool Explicit,
    ExternalUrls ExternalUrls, string Href, string Id, string Name, int TrackNumber, string Type, string Uri, bool IsLocal);

internal sealed record TrackObject(
    SimplifiedAlbumObject Album, IReadOnlyList<SimplifiedArtistObject> Artists, int DiscNumber,
    int DurationMs, bool Explicit, ExternalUrls ExternalUrls, string Href, string Id, string Name,
    int? Popularity, int TrackNumber, string Type, string Uri, bool IsLocal);

internal sealed record PagingObject<T>(string Href, int Limit, string? Next, int Offset, string? Previous, int Total, IReadOnlyList<T> Items);

internal sealed record CursorsObject(string? After, string? Before);

internal sealed record PlayHistoryObject(TrackObject Track, string PlayedAt, object? Context);

internal sealed record CursorPagingObject(string Href, int Limit, string? Next, CursorsObject? Cursors, int? Total, IReadOnlyList<PlayHistoryObject> Items);

internal sealed record UserObject(
    string Country, string DisplayName, string Email, ExternalUrls ExternalUrls, string Href, string Id,
    IReadOnlyList<ImageObject> Images, string Product, string Type, string Uri);

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(int Status, string Message);

internal sealed record TokenResponse(string AccessToken, string TokenType, string Scope, int ExpiresIn, string? RefreshToken);

internal sealed record OAuthError(string Error, string ErrorDescription);

/// <summary>Maps catalog records to Spotify objects; <c>api</c> is the Web API base the links use.</summary>
internal sealed class Shapes(string api, bool devMode)
{
    public SimplifiedArtistObject SimpleArtist(EmuArtist a) =>
        new(Url("artist", a.Id), $"{api}/v1/artists/{a.Id}", a.Id, a.Name, "artist", $"spotify:artist:{a.Id}");

    public ArtistObject Artist(EmuArtist a) =>
        new(Url("artist", a.Id), $"{api}/v1/artists/{a.Id}", a.Id, a.Name, "artist", $"spotify:artist:{a.Id}",
            Images(a.Id), devMode ? null : a.Genres, devMode ? null : a.Popularity);

    public SimplifiedAlbumObject SimpleAlbum(EmuAlbum al) =>
        new(al.AlbumType, al.TotalTracks, Url("album", al.Id), $"{api}/v1/albums/{al.Id}", al.Id, Images(al.Id),
            al.Name, al.ReleaseDate, "day", "album", $"spotify:album:{al.Id}", [SimpleArtist(al.Artist)]);

    public AlbumObject Album(EmuAlbum al, IReadOnlyList<EmuTrack> tracks)
    {
        var items = tracks.Select((t, i) => new SimplifiedTrackObject(
            [.. t.Artists.Select(SimpleArtist)], 1, t.DurationMs, t.Explicit, Url("track", t.Id),
            $"{api}/v1/tracks/{t.Id}", t.Id, t.Name, i + 1, "track", $"spotify:track:{t.Id}", false)).ToList();
        return new(al.AlbumType, al.TotalTracks, Url("album", al.Id), $"{api}/v1/albums/{al.Id}", al.Id, Images(al.Id),
            al.Name, al.ReleaseDate, "day", "album", $"spotify:album:{al.Id}", [SimpleArtist(al.Artist)],
            new PagingObject<SimplifiedTrackObject>($"{api}/v1/albums/{al.Id}/tracks", 50, null, 0, null, items.Count, items),
            "MyiV3 Emulator Records", devMode ? null : 50);
    }

    public TrackObject Track(EmuTrack t, int trackNumber = 1) =>
        new(SimpleAlbum(t.Album), [.. t.Artists.Select(SimpleArtist)], 1, t.DurationMs, t.Explicit, Url("track", t.Id),
            $"{api}/v1/tracks/{t.Id}", t.Id, t.Name, devMode ? null : t.Popularity, trackNumber, "track", $"spotify:track:{t.Id}", false);

    public UserObject User(EmuUser u) =>
        new("SE", u.DisplayName, u.Email, Url("user", u.Id), $"{api}/v1/users/{u.Id}", u.Id, Images(u.Id), "premium", "user", $"spotify:user:{u.Id}");

    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private IReadOnlyList<ImageObject> Images(string id) =>
        [new($"{api}/images/{id}.svg", 640, 640), new($"{api}/images/{id}.svg?s=300", 300, 300), new($"{api}/images/{id}.svg?s=64", 64, 64)];

    private static ExternalUrls Url(string kind, string id) => new($"https://open.spotify.com/{kind}/{id}");
}
