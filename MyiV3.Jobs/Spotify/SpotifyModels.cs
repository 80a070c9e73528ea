namespace MyiV3.Jobs.Spotify;

// The Web API objects MyiV3 reads (deserialised snake_case). Development-mode apps get no
// genres or popularity: those are nullable and null means unknown.
public sealed record SpotifyImage(string Url, int? Height, int? Width);

public sealed record SpotifySimpleArtist(string Id, string Name);

public sealed record SpotifyArtist(string Id, string Name, IReadOnlyList<string>? Genres, int? Popularity, IReadOnlyList<SpotifyImage>? Images);

public sealed record SpotifySimpleAlbum(
    string Id, string Name, string? AlbumType, string? ReleaseDate, int? TotalTracks,
    IReadOnlyList<SpotifyImage>? Images, IReadOnlyList<SpotifySimpleArtist>? Artists);

public sealed record SpotifyTrack(
    string Id, string Name, int DurationMs, bool? Explicit, int? Popularity,
    SpotifySimpleAlbum? Album, IReadOnlyList<SpotifySimpleArtist> Artists, bool? IsLocal);

public sealed record SpotifyPlayHistory(SpotifyTrack Track, DateTimeOffset PlayedAt);

public sealed record SpotifyCursors(string? After, string? Before);

public sealed record SpotifyRecentlyPlayed(IReadOnlyList<SpotifyPlayHistory> Items, string? Next, SpotifyCursors? Cursors, int Limit);

public sealed record SpotifyPaging<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset, string? Next);

public sealed record SpotifyUser(string Id, string? DisplayName, string? Email, string? Country, IReadOnlyList<SpotifyImage>? Images);

public sealed record SpotifyTokenResponse(string AccessToken, string TokenType, int ExpiresIn, string? RefreshToken, string? Scope);

public enum SpotifyTerm
{
    ShortTerm,
    MediumTerm,
    LongTerm,
}
