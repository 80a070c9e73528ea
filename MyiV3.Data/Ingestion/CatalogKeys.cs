using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// The catalog key of a track, album or artist: its Spotify id when the source gives one,
/// otherwise a provisional key "myi:&lt;kind&gt;:&lt;hash of normalised names&gt;" so that the same
/// names, however cased or padded, always reach the same row.
/// </summary>
public static class CatalogKeys
{
    public const string ProvisionalPrefix = "myi:";
    // Keyed by the raw strings, so a name seen before costs a lookup, not a normalisation and a hash.
    private static readonly ConcurrentDictionary<(string Kind, string First, string? Second), string> Cache = new();

    public static string Track(PlayRecord play)
    {
        ArgumentNullException.ThrowIfNull(play);
        return play.TrackSpotifyId ?? NameKey(play);
    }

    /// <summary>
    /// The key the play's names alone give its track — what an account-data play of it (no id) is
    /// keyed by: for a play without an id, its catalog key; for one with an id, the key of its twin
    /// in an account-data export.
    /// </summary>
    public static string NameKey(PlayRecord play)
    {
        ArgumentNullException.ThrowIfNull(play);
        return NameKey(play.Artists[0].Name, play.TrackName);
    }

    /// <summary>The name key of a track by its first artist's name and its own (what an account-data play names).</summary>
    public static string NameKey(string artistName, string trackName) => Provisional("track", artistName, trackName);

    public static string? Album(PlayRecord play)
    {
        ArgumentNullException.ThrowIfNull(play);
        if (play.AlbumSpotifyId is { } id)
        {
            return id;
        }

        return string.IsNullOrWhiteSpace(play.AlbumName) ? null : Provisional("album", play.Artists[0].Name, play.AlbumName);
    }

    public static string Artist(ArtistRef artist) => artist.SpotifyId ?? Provisional("artist", artist.Name, null);

    public static string Provisional(string kind, string first, string? second)
    {
        if (Cache.TryGetValue((kind, first, second), out var key))
        {
            return key;
        }

        var text = second is null ? $"{kind}\u001f{Normalize(first)}" : $"{kind}\u001f{Normalize(first)}\u001f{Normalize(second)}";
        key = ProvisionalPrefix + kind + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
        if (Cache.Count > 200_000)
        {
            Cache.Clear();
        }

        Cache[(kind, first, second)] = key;
        return key;
    }

    /// <summary>Trimmed, composed (NFC), lower-cased: "  Beyoncé" and "beyonce\u0301" are one artist.</summary>
    public static string Normalize(string s) =>
        (s ?? "").Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();
}
