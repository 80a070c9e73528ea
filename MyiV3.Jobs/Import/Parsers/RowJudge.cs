using System.Runtime.CompilerServices;
using MyiV3.Data.Ingestion;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>Turns a raw row of a known format into a play or a skip with its reason. One instance per file.</summary>
internal sealed class RowJudge(HistoryFormat format, string source, HistoryReaderOptions options, DateTimeOffset latestPlay)
{
    private const string TrackUriPrefix = "spotify:track:";
    private const string LocalUriPrefix = "spotify:local:";
    private readonly SameMinuteClock _clock = new();

    // The track ids of recent URIs, by the URI string itself: TextCache hands out one string per URI, so a
    // track played again costs a reference comparison instead of a new id string (a fixed table, bounded).
    private readonly (string? Uri, string? Id)[] _ids = new (string?, string?)[1024];

    public ParsedRow Judge(in RawRow raw, long rowNumber)
    {
        if (raw.Problem is not null)
        {
            return Invalid(raw.Problem, rowNumber);
        }

        return format switch
        {
            HistoryFormat.ExtendedStreamingHistory => Extended(raw, rowNumber),
            HistoryFormat.AccountDataMusic => AccountMusic(raw, rowNumber),
            _ => Skip(SkipReason.NonMusic, rowNumber),
        };
    }

    private ParsedRow Extended(in RawRow raw, long row)
    {
        if (raw.Time is not { } time)
        {
            return Invalid("ts is missing", row);
        }

        if (OutOfRange(time) is { } problem)
        {
            return Invalid(problem, row);
        }

        if (raw.MsPlayed is not { } ms)
        {
            return Invalid("ms_played is missing", row);
        }

        string? trackId = null;
        if (raw.TrackUri is null)
        {
            // The early extended exports (endsong_<n>.json of 2020) have no spotify_track_uri field at all:
            // their music rows are plays known by name only, like account-data rows (but timed to the second).
            // Where the field exists and is null, where an episode or audiobook field holds a value, or where
            // no track name is given, the row is a podcast episode, audiobook chapter, video or local file.
            if ((raw.Present & RowFields.TrackUri) != 0 || raw.NonMusicValue || string.IsNullOrEmpty(raw.TrackName))
            {
                return Skip(SkipReason.NonMusic, row);
            }
        }
        else if (raw.TrackUri.StartsWith(LocalUriPrefix, StringComparison.Ordinal))
        {
            // A local file the user added to Spotify: no Spotify track behind it.
            return Skip(SkipReason.NonMusic, row);
        }

        if (ms <= 0)
        {
            return Skip(SkipReason.ZeroMs, row);
        }

        if (ms > int.MaxValue)
        {
            return Invalid("ms_played is larger than any track", row);
        }

        if (raw.TrackUri is not null)
        {
            ref var known = ref _ids[RuntimeHelpers.GetHashCode(raw.TrackUri) & (_ids.Length - 1)];
            if (ReferenceEquals(known.Uri, raw.TrackUri))
            {
                trackId = known.Id;
            }
            else if (TryTrackId(raw.TrackUri, out var id))
            {
                known = (raw.TrackUri, id);
                trackId = id;
            }
            else
            {
                return Invalid("spotify_track_uri is not a track URI like spotify:track:<22 characters>", row);
            }
        }

        if (string.IsNullOrEmpty(raw.TrackName))
        {
            return Invalid("master_metadata_track_name is missing", row);
        }

        if (string.IsNullOrEmpty(raw.ArtistName))
        {
            return Invalid("master_metadata_album_artist_name is missing", row);
        }

        var play = new PlayRecord
        {
            PlayedAt = new DateTimeOffset(time, TimeSpan.Zero),
            MsPlayed = (int)ms,
            TrackSpotifyId = trackId,
            TrackName = raw.TrackName,
            Artists = [new ArtistRef(raw.ArtistName)],
            AlbumName = raw.AlbumName,
            Skipped = raw.Skipped,
            Shuffle = raw.Shuffle,
            ReasonStart = raw.ReasonStart,
            ReasonEnd = raw.ReasonEnd,
            Platform = raw.Platform,
            ConnCountry = raw.ConnCountry,
            Offline = raw.Offline,
            Incognito = raw.Incognito,
        };
        return ParsedRow.ForPlay(play, source, format, row);
    }

    private ParsedRow AccountMusic(in RawRow raw, long row)
    {
        if (raw.Time is not { } minute)
        {
            return Invalid("endTime is missing", row);
        }

        if (OutOfRange(minute) is { } problem)
        {
            return Invalid(problem, row);
        }

        if (raw.MsPlayed is not { } ms)
        {
            return Invalid("msPlayed is missing", row);
        }

        if (string.IsNullOrEmpty(raw.TrackName))
        {
            return Invalid("trackName is missing", row);
        }

        if (string.IsNullOrEmpty(raw.ArtistName))
        {
            return Invalid("artistName is missing", row);
        }

        if (ms <= 0)
        {
            return Skip(SkipReason.ZeroMs, row);
        }

        if (ms > int.MaxValue)
        {
            return Invalid("msPlayed is larger than any track", row);
        }

        var play = new PlayRecord
        {
            PlayedAt = _clock.Assign(minute, raw.TrackName, raw.ArtistName, ms),
            MsPlayed = (int)ms,
            TrackName = raw.TrackName,
            Artists = [new ArtistRef(raw.ArtistName)],
        };
        return ParsedRow.ForPlay(play, source, format, row);
    }

    private string? OutOfRange(DateTime time)
    {
        if (time < options.EarliestPlay.UtcDateTime)
        {
            return $"the date {time:yyyy-MM-dd} is before Spotify existed (2006)";
        }

        if (time > latestPlay.UtcDateTime)
        {
            return $"the date {time:yyyy-MM-dd HH:mm} is in the future";
        }

        return null;
    }

    internal static bool TryTrackId(string uri, out string id)
    {
        id = "";
        if (uri.Length != TrackUriPrefix.Length + 22 || !uri.StartsWith(TrackUriPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in uri.AsSpan(TrackUriPrefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        id = uri[TrackUriPrefix.Length..];
        return true;
    }

    private ParsedRow Skip(SkipReason reason, long row) => ParsedRow.Skipped(reason, null, source, format, row);

    private ParsedRow Invalid(string problem, long row) => ParsedRow.Skipped(SkipReason.Invalid, problem, source, format, row);
}
