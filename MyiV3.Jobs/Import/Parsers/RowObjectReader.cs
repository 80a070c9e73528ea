using System.Text.Json;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Reads one row object with a <see cref="Utf8JsonReader"/> positioned on its <c>{</c>. Returns false when the
/// buffer ends inside the object (the caller refills and retries from the object's start). Wrong value types
/// are recorded on the row, never thrown: a bad row is skipped, the file goes on.
/// </summary>
internal static class RowObjectReader
{
    public static bool TryRead(ref Utf8JsonReader reader, ref RawRow row, int maxStringLength, TextCache texts)
    {
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            var field = Identify(ref reader);
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (field != Field.Ignored)
                {
                    row.Fail($"{Name(field)} is not a single value");
                    MarkPresent(ref row, field);
                }

                if (!reader.TrySkip())
                {
                    return false;
                }

                continue;
            }

            if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > maxStringLength * 6 && !IsDescription(field))
            {
                // Even undecoded, this is longer than any escaping of maxStringLength characters could be.
                row.Fail($"a text value is over {maxStringLength} characters");
                MarkPresent(ref row, field);
                continue;
            }

            ReadValue(ref reader, ref row, field, maxStringLength, texts);
        }
    }

    /// <summary>Fields that only describe a play (see <see cref="ReadText"/>): over-long text is cut, not refused.</summary>
    private static bool IsDescription(Field field) => field is Field.Platform or Field.ConnCountry or Field.ReasonStart or Field.ReasonEnd;

    private enum Field
    {
        Ignored,
        Ts,
        MsPlayed,
        TrackUri,
        TrackName,
        AlbumArtist,
        AlbumName,
        EpisodeUri,
        EpisodeName,
        ShowName,
        AudiobookUri,
        AudiobookTitle,
        Platform,
        ConnCountry,
        ReasonStart,
        ReasonEnd,
        Shuffle,
        Skipped,
        Offline,
        Incognito,
        EndTime,
        ArtistName,
        AccountTrackName,
        AccountMsPlayed,
        PodcastName,
        AccountEpisodeName,
    }

    private static Field Identify(ref Utf8JsonReader reader)
    {
        // Property names in real files are never escaped; an escaped name is compared the slow, exact way.
        if (reader.ValueIsEscaped)
        {
            // Unescaped as text values are, half of an escaped surrogate pair included (it matches no field of ours).
            return IdentifyName(System.Text.Encoding.UTF8.GetBytes(TextCache.Unescaped(ref reader)));
        }

        return IdentifyName(reader.ValueSpan);
    }

    private static Field IdentifyName(ReadOnlySpan<byte> n) => n.Length switch
    {
        2 when n.SequenceEqual("ts"u8) => Field.Ts,
        7 when n.SequenceEqual("shuffle"u8) => Field.Shuffle,
        7 when n.SequenceEqual("skipped"u8) => Field.Skipped,
        7 when n.SequenceEqual("offline"u8) => Field.Offline,
        7 when n.SequenceEqual("endTime"u8) => Field.EndTime,
        8 when n.SequenceEqual("platform"u8) => Field.Platform,
        8 when n.SequenceEqual("msPlayed"u8) => Field.AccountMsPlayed,
        9 when n.SequenceEqual("ms_played"u8) => Field.MsPlayed,
        9 when n.SequenceEqual("trackName"u8) => Field.AccountTrackName,
        10 when n.SequenceEqual("reason_end"u8) => Field.ReasonEnd,
        10 when n.SequenceEqual("artistName"u8) => Field.ArtistName,
        11 when n.SequenceEqual("podcastName"u8) => Field.PodcastName,
        11 when n.SequenceEqual("episodeName"u8) => Field.AccountEpisodeName,
        12 when n.SequenceEqual("conn_country"u8) => Field.ConnCountry,
        12 when n.SequenceEqual("reason_start"u8) => Field.ReasonStart,
        12 when n.SequenceEqual("episode_name"u8) => Field.EpisodeName,
        13 when n.SequenceEqual("audiobook_uri"u8) => Field.AudiobookUri,
        15 when n.SequenceEqual("audiobook_title"u8) => Field.AudiobookTitle,
        14 when n.SequenceEqual("incognito_mode"u8) => Field.Incognito,
        17 when n.SequenceEqual("spotify_track_uri"u8) => Field.TrackUri,
        17 when n.SequenceEqual("episode_show_name"u8) => Field.ShowName,
        19 when n.SequenceEqual("spotify_episode_uri"u8) => Field.EpisodeUri,
        21 when n.SequenceEqual("audiobook_chapter_uri"u8) => Field.AudiobookUri,
        23 when n.SequenceEqual("audiobook_chapter_title"u8) => Field.AudiobookTitle,
        26 when n.SequenceEqual("master_metadata_track_name"u8) => Field.TrackName,
        32 when n.SequenceEqual("master_metadata_album_album_name"u8) => Field.AlbumName,
        33 when n.SequenceEqual("master_metadata_album_artist_name"u8) => Field.AlbumArtist,
        // ip_addr, ip_addr_decrypted, user_agent_decrypted, username, offline_timestamp, the 2020-21 exports'
        // city/region/metro_code/longitude/latitude and anything unknown: read past, never decoded.
        _ => Field.Ignored,
    };

    private static void MarkPresent(ref RawRow row, Field field) => row.Present |= field switch
    {
        Field.Ts => RowFields.Ts,
        Field.MsPlayed => RowFields.MsPlayed,
        Field.TrackUri => RowFields.TrackUri,
        Field.TrackName => RowFields.TrackName,
        Field.AlbumArtist => RowFields.AlbumArtist,
        Field.EpisodeUri => RowFields.EpisodeUri,
        Field.EpisodeName or Field.ShowName => RowFields.EpisodeName,
        Field.AudiobookUri or Field.AudiobookTitle => RowFields.Audiobook,
        Field.EndTime => RowFields.EndTime,
        Field.ArtistName => RowFields.ArtistName,
        Field.AccountTrackName => RowFields.AccountTrackName,
        Field.AccountMsPlayed => RowFields.AccountMsPlayed,
        Field.PodcastName => RowFields.PodcastName,
        Field.AccountEpisodeName => RowFields.EpisodeName,
        _ => RowFields.None,
    };

    private static void ReadValue(ref Utf8JsonReader reader, ref RawRow row, Field field, int maxStringLength, TextCache texts)
    {
        MarkPresent(ref row, field);
        switch (field)
        {
            case Field.Ignored:
            case Field.PodcastName:
            case Field.AccountEpisodeName:
                return;
            case Field.EpisodeName:
            case Field.ShowName:
            case Field.EpisodeUri:
            case Field.AudiobookUri:
            case Field.AudiobookTitle:
                // Only whether it holds a value matters; the value itself is never decoded.
                row.NonMusicValue |= reader.TokenType != JsonTokenType.Null;
                return;
            case Field.Ts:
                row.Time = ReadIsoTime(ref reader, ref row);
                return;
            case Field.EndTime:
                row.Time = ReadMinuteTime(ref reader, ref row);
                return;
            case Field.MsPlayed:
            case Field.AccountMsPlayed:
                row.MsPlayed = ReadWhole(ref reader, ref row, field);
                return;
            case Field.TrackUri:
                row.TrackUri = ReadText(ref reader, ref row, field, maxStringLength, texts);
                return;
            case Field.TrackName:
            case Field.AccountTrackName:
                row.TrackName = ReadText(ref reader, ref row, field, maxStringLength, texts);
                return;
            case Field.AlbumArtist:
            case Field.ArtistName:
                row.ArtistName = ReadText(ref reader, ref row, field, maxStringLength, texts);
                return;
            case Field.AlbumName:
                row.AlbumName = ReadText(ref reader, ref row, field, maxStringLength, texts);
                return;
            case Field.Platform:
                row.Platform = ReadText(ref reader, ref row, field, maxStringLength, texts, describes: true);
                return;
            case Field.ConnCountry:
                row.ConnCountry = ReadText(ref reader, ref row, field, maxStringLength, texts, describes: true);
                return;
            case Field.ReasonStart:
                row.ReasonStart = ReadText(ref reader, ref row, field, maxStringLength, texts, describes: true);
                return;
            case Field.ReasonEnd:
                row.ReasonEnd = ReadText(ref reader, ref row, field, maxStringLength, texts, describes: true);
                return;
            case Field.Shuffle:
                row.Shuffle = ReadBool(ref reader, ref row, field);
                return;
            case Field.Skipped:
                row.Skipped = ReadBool(ref reader, ref row, field);
                return;
            case Field.Offline:
                row.Offline = ReadBool(ref reader, ref row, field);
                return;
            case Field.Incognito:
                row.Incognito = ReadBool(ref reader, ref row, field);
                return;
            default:
                return;
        }
    }

    /// <summary>
    /// Text over <paramref name="maxStringLength"/> characters makes the row invalid, except in a descriptive
    /// field (<paramref name="describes"/>: platform, country, reasons), where a play is never lost over it and
    /// the text is cut to that length (the database keeps less anyway).
    /// </summary>
    private static string? ReadText(ref Utf8JsonReader reader, ref RawRow row, Field field, int maxStringLength, TextCache texts, bool describes = false)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var text = texts.GetString(ref reader);
                if (text.Length <= maxStringLength)
                {
                    return text;
                }

                if (!describes)
                {
                    row.Fail($"{Name(field)} is over {maxStringLength} characters");
                    return null;
                }

                // Never cut between the two halves of an emoji: a lone surrogate is not valid UTF-8 for the database.
                return text[..(char.IsHighSurrogate(text[maxStringLength - 1]) ? maxStringLength - 1 : maxStringLength)];
            default:
                row.Fail($"{Name(field)} is not text");
                return null;
        }
    }

    private static long? ReadWhole(ref Utf8JsonReader reader, ref RawRow row, Field field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var value):
                return value;
            case JsonTokenType.Number:
                row.Fail($"{Name(field)} is not a whole number");
                return null;
            default:
                row.Fail($"{Name(field)} is not a number");
                return null;
        }
    }

    private static bool? ReadBool(ref Utf8JsonReader reader, ref RawRow row, Field field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                row.Fail($"{Name(field)} is not true or false");
                return null;
        }
    }

    private static DateTime? ReadIsoTime(ref Utf8JsonReader reader, ref RawRow row)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryParseUtcSecond(reader.ValueSpan, out var utc))
        {
            return utc;
        }

        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTime(out var time))
        {
            row.Fail("ts is not a date");
            return null;
        }

        // Spotify writes UTC with a Z; a time without an offset is taken as UTC, one with an offset is converted.
        return time.Kind switch
        {
            DateTimeKind.Utc => time,
            DateTimeKind.Local => time.ToUniversalTime(),
            _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        };
    }

    /// <summary>Account data's <c>"YYYY-MM-DD HH:mm"</c>, UTC.</summary>
    private static DateTime? ReadMinuteTime(ref Utf8JsonReader reader, ref RawRow row)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryParseMinute(reader.ValueSpan, out var time))
        {
            return time;
        }

        row.Fail("endTime is not a date like 2019-02-04 19:23");
        return null;
    }

    /// <summary>
    /// The form Spotify writes, <c>"YYYY-MM-DDTHH:mm:ssZ"</c>, read from its bytes; false for anything else
    /// (fractions, offsets, impossible dates), which <see cref="Utf8JsonReader.TryGetDateTime"/> then judges.
    /// Whatever this accepts, TryGetDateTime reads as the same UTC time.
    /// </summary>
    internal static bool TryParseUtcSecond(ReadOnlySpan<byte> s, out DateTime time)
    {
        time = default;
        if (s.Length != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s[5..7], out var month) || !TryDigits(s[8..10], out var day)
            || !TryDigits(s[11..13], out var hour) || !TryDigits(s[14..16], out var minute) || !TryDigits(s[17..19], out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    internal static bool TryParseMinute(ReadOnlySpan<byte> s, out DateTime time)
    {
        time = default;
        if (s.Length != 16 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s[5..7], out var month) || !TryDigits(s[8..10], out var day)
            || !TryDigits(s[11..13], out var hour) || !TryDigits(s[14..16], out var minute))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59)
        {
            return false;
        }

        time = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static string Name(Field field) => field switch
    {
        Field.Ts => "ts",
        Field.MsPlayed => "ms_played",
        Field.TrackUri => "spotify_track_uri",
        Field.TrackName => "master_metadata_track_name",
        Field.AlbumArtist => "master_metadata_album_artist_name",
        Field.AlbumName => "master_metadata_album_album_name",
        Field.EpisodeUri => "spotify_episode_uri",
        Field.EpisodeName => "episode_name",
        Field.ShowName => "episode_show_name",
        Field.AudiobookUri => "audiobook_uri",
        Field.AudiobookTitle => "audiobook_title",
        Field.Platform => "platform",
        Field.ConnCountry => "conn_country",
        Field.ReasonStart => "reason_start",
        Field.ReasonEnd => "reason_end",
        Field.Shuffle => "shuffle",
        Field.Skipped => "skipped",
        Field.Offline => "offline",
        Field.Incognito => "incognito_mode",
        Field.EndTime => "endTime",
        Field.ArtistName => "artistName",
        Field.AccountTrackName => "trackName",
        Field.AccountMsPlayed => "msPlayed",
        Field.PodcastName => "podcastName",
        Field.AccountEpisodeName => "episodeName",
        _ => "a field",
    };
}
