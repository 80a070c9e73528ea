using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MyiV3.Jobs.Import.Generator;

/// <summary>
/// Writes generated rows in one of Spotify's formats: the exact field set and order of each, pretty-printed with
/// four spaces and raw UTF-8 like the real files. Flushes every few hundred rows, so a file of any size streams.
/// </summary>
internal sealed class HistoryJsonWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText Username = JsonEncodedText.Encode("username");
    private static readonly JsonEncodedText Platform = JsonEncodedText.Encode("platform");
    private static readonly JsonEncodedText MsPlayed = JsonEncodedText.Encode("ms_played");
    private static readonly JsonEncodedText ConnCountry = JsonEncodedText.Encode("conn_country");
    private static readonly JsonEncodedText IpAddr = JsonEncodedText.Encode("ip_addr");
    private static readonly JsonEncodedText IpAddrDecrypted = JsonEncodedText.Encode("ip_addr_decrypted");
    private static readonly JsonEncodedText UserAgentDecrypted = JsonEncodedText.Encode("user_agent_decrypted");
    private static readonly JsonEncodedText TrackName = JsonEncodedText.Encode("master_metadata_track_name");
    private static readonly JsonEncodedText ArtistName = JsonEncodedText.Encode("master_metadata_album_artist_name");
    private static readonly JsonEncodedText AlbumName = JsonEncodedText.Encode("master_metadata_album_album_name");
    private static readonly JsonEncodedText TrackUri = JsonEncodedText.Encode("spotify_track_uri");
    private static readonly JsonEncodedText EpisodeName = JsonEncodedText.Encode("episode_name");
    private static readonly JsonEncodedText EpisodeShowName = JsonEncodedText.Encode("episode_show_name");
    private static readonly JsonEncodedText EpisodeUri = JsonEncodedText.Encode("spotify_episode_uri");
    private static readonly JsonEncodedText AudiobookTitle = JsonEncodedText.Encode("audiobook_title");
    private static readonly JsonEncodedText AudiobookUri = JsonEncodedText.Encode("audiobook_uri");
    private static readonly JsonEncodedText AudiobookChapterUri = JsonEncodedText.Encode("audiobook_chapter_uri");
    private static readonly JsonEncodedText AudiobookChapterTitle = JsonEncodedText.Encode("audiobook_chapter_title");
    private static readonly JsonEncodedText ReasonStart = JsonEncodedText.Encode("reason_start");
    private static readonly JsonEncodedText ReasonEnd = JsonEncodedText.Encode("reason_end");
    private static readonly JsonEncodedText Shuffle = JsonEncodedText.Encode("shuffle");
    private static readonly JsonEncodedText Skipped = JsonEncodedText.Encode("skipped");
    private static readonly JsonEncodedText Offline = JsonEncodedText.Encode("offline");
    private static readonly JsonEncodedText OfflineTimestamp = JsonEncodedText.Encode("offline_timestamp");
    private static readonly JsonEncodedText Incognito = JsonEncodedText.Encode("incognito_mode");
    private static readonly JsonEncodedText EndTime = JsonEncodedText.Encode("endTime");
    private static readonly JsonEncodedText AccountArtistName = JsonEncodedText.Encode("artistName");
    private static readonly JsonEncodedText AccountTrackName = JsonEncodedText.Encode("trackName");
    private static readonly JsonEncodedText AccountMsPlayed = JsonEncodedText.Encode("msPlayed");
    private static readonly JsonEncodedText PodcastName = JsonEncodedText.Encode("podcastName");
    private static readonly JsonEncodedText AccountEpisodeName = JsonEncodedText.Encode("episodeName");

    private readonly Utf8JsonWriter _writer;
    private readonly GeneratedLayout _layout;
    private readonly string _userName;
    private int _sinceFlush;

    public HistoryJsonWriter(Stream destination, GeneratedLayout layout, string userName)
    {
        _writer = new Utf8JsonWriter(destination, Options);
        _layout = layout;
        _userName = userName;
        _writer.WriteStartArray();
    }

    public long Rows { get; private set; }

    /// <summary>Closes the array and flushes; returns the bytes written.</summary>
    public long Finish()
    {
        _writer.WriteEndArray();
        _writer.Flush();
        return _writer.BytesCommitted;
    }

    public void Dispose() => _writer.Dispose();

    public void Write(in GeneratedRow row)
    {
        switch (_layout)
        {
            case GeneratedLayout.AccountData:
                WriteAccountData(row);
                break;
            default:
                WriteExtended(row, _layout == GeneratedLayout.Endsong);
                break;
        }

        Rows++;
        if (++_sinceFlush >= 256)
        {
            _writer.Flush();
            _sinceFlush = 0;
        }
    }

    private void WriteExtended(in GeneratedRow row, bool endsong)
    {
        var w = _writer;
        var episode = row.Episode is { IsAudiobook: false } ? row.Episode : null;
        var chapter = row.Episode is { IsAudiobook: true } ? row.Episode : null;
        w.WriteStartObject();
        w.WriteString(Ts, row.EndedAt);
        if (endsong)
        {
            w.WriteString(Username, _userName);
        }

        w.WriteString(Platform, row.Platform);
        w.WriteNumber(MsPlayed, row.MsPlayed);
        w.WriteString(ConnCountry, row.ConnCountry);
        // Documentation addresses (RFC 5737) and a made-up agent: obviously not anyone's.
        Span<char> ip = stackalloc char[16];
        "192.0.2.".CopyTo(ip);
        row.IpSuffix.TryFormat(ip[8..], out var digits, provider: CultureInfo.InvariantCulture);
        if (endsong)
        {
            w.WriteString(IpAddrDecrypted, ip[..(8 + digits)]);
            w.WriteString(UserAgentDecrypted, "unknown");
        }
        else
        {
            w.WriteString(IpAddr, ip[..(8 + digits)]);
        }

        WriteNullable(TrackName, row.Track?.Name);
        WriteNullable(ArtistName, row.Track?.Album.Artist.Name);
        WriteNullable(AlbumName, row.Track?.Album.Name);
        WriteNullable(TrackUri, row.Track?.Uri);
        WriteNullable(EpisodeName, episode?.Name);
        WriteNullable(EpisodeShowName, episode?.ShowName);
        WriteNullable(EpisodeUri, episode?.Uri);
        if (!endsong)
        {
            WriteNullable(AudiobookTitle, chapter?.ShowName);
            WriteNullable(AudiobookUri, chapter is null ? null : "spotify:show:" + chapter.Uri[^22..]);
            WriteNullable(AudiobookChapterUri, chapter?.Uri);
            WriteNullable(AudiobookChapterTitle, chapter?.Name);
        }

        w.WriteString(ReasonStart, row.ReasonStart);
        w.WriteString(ReasonEnd, row.ReasonEnd);
        w.WriteBoolean(Shuffle, row.Shuffle);
        w.WriteBoolean(Skipped, row.Skipped);
        w.WriteBoolean(Offline, row.Offline);
        if (row.Offline)
        {
            // Old files give seconds since the epoch, new ones milliseconds.
            var started = new DateTimeOffset(row.EndedAt, TimeSpan.Zero).AddMilliseconds(-row.MsPlayed);
            w.WriteNumber(OfflineTimestamp, endsong ? started.ToUnixTimeSeconds() : started.ToUnixTimeMilliseconds());
        }
        else
        {
            w.WriteNull(OfflineTimestamp);
        }

        w.WriteBoolean(Incognito, row.Incognito);
        w.WriteEndObject();
    }

    private void WriteAccountData(in GeneratedRow row)
    {
        var w = _writer;
        Span<char> minute = stackalloc char[16];
        row.EndedAt.TryFormat(minute, out _, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WriteString(EndTime, minute);
        if (row.Track is { } track)
        {
            w.WriteString(AccountArtistName, track.Album.Artist.Name);
            w.WriteString(AccountTrackName, track.Name);
        }
        else
        {
            w.WriteString(PodcastName, row.Episode!.ShowName);
            w.WriteString(AccountEpisodeName, row.Episode.Name);
        }

        w.WriteNumber(AccountMsPlayed, row.MsPlayed);
        w.WriteEndObject();
    }

    private void WriteNullable(JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteString(name, value);
        }
    }
}
