using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>Every real format, field by field, recognised from its content.</summary>
public sealed class FormatParsingTests
{
    [Fact]
    public async Task Extended_history_rows_become_plays_field_by_field_and_non_music_is_skipped()
    {
        var rows = await ReadFileAsync(Sample("Streaming_History_Audio_2023-2024_0.json"));

        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(HistoryFormat.ExtendedStreamingHistory, r.Format));
        Assert.Equal([1L, 2, 3, 4, 5], rows.Select(r => r.Row));

        var first = rows[0].Play!;
        Assert.Equal(new DateTimeOffset(2023, 11, 2, 8, 15, 42, TimeSpan.Zero), first.PlayedAt);
        Assert.Equal(TimeSpan.Zero, first.PlayedAt.Offset);
        Assert.Equal(214000, first.MsPlayed);
        Assert.Equal("4uLU6hMCjMI75M1A2tKUQC", first.TrackSpotifyId);
        Assert.Equal("Café \"Nocturne\"", first.TrackName);
        Assert.Equal("The Fake Harbor", Assert.Single(first.Artists).Name);
        Assert.Null(first.Artists[0].SpotifyId);
        Assert.Equal("Paper Lights", first.AlbumName);
        Assert.Null(first.AlbumSpotifyId);
        Assert.Null(first.TrackDurationMs);
        Assert.False(first.Skipped);
        Assert.False(first.Shuffle);
        Assert.Equal("clickrow", first.ReasonStart);
        Assert.Equal("trackdone", first.ReasonEnd);
        Assert.Equal("android", first.Platform);
        Assert.Equal("DE", first.ConnCountry);
        Assert.False(first.Offline);
        Assert.False(first.Incognito);

        var second = rows[1].Play!;
        Assert.Equal("7ouMYWpwJ422jRcDASZB7P", second.TrackSpotifyId);
        Assert.Equal("Señor Static", second.Artists[0].Name);
        Assert.Equal(4321, second.MsPlayed);
        Assert.True(second.Skipped);
        Assert.True(second.Shuffle);
        Assert.True(second.Offline);
        Assert.True(second.Incognito);
        Assert.Equal("ios", second.Platform);
        Assert.Equal("FR", second.ConnCountry);
        Assert.Equal("trackdone", second.ReasonStart);
        Assert.Equal("fwdbtn", second.ReasonEnd);

        Assert.Equal(SkipReason.NonMusic, rows[2].Skip); // podcast episode
        Assert.Equal(SkipReason.NonMusic, rows[3].Skip); // audiobook chapter
        Assert.Equal(SkipReason.ZeroMs, rows[4].Skip);
        Assert.All(rows.Skip(2), r => Assert.Null(r.Play));
    }

    [Fact]
    public async Task Older_endsong_rows_parse_with_null_skipped_and_their_podcasts_are_skipped()
    {
        var rows = await ReadFileAsync(Sample("endsong_0.json"));

        Assert.Equal(2, rows.Count);
        var play = rows[0].Play!;
        Assert.Equal(new DateTimeOffset(2016, 7, 14, 22, 10, 5, TimeSpan.Zero), play.PlayedAt);
        Assert.Equal(185733, play.MsPlayed);
        Assert.Equal("0VjIjW4GlUZAMYd2vXMi3b", play.TrackSpotifyId);
        Assert.Equal("Burning Tides", play.TrackName);
        Assert.Equal("Lil Garden", play.Artists[0].Name);
        Assert.Equal("Northern Signal", play.AlbumName);
        Assert.Null(play.Skipped);
        Assert.True(play.Shuffle);
        Assert.Equal("Android OS 6.0.1 API 23 (samsung, SM-G920F)", play.Platform);
        Assert.Equal(SkipReason.NonMusic, rows[1].Skip);
    }

    [Fact]
    public async Task Account_data_music_rows_become_plays_without_track_ids()
    {
        var rows = await ReadFileAsync(Sample("StreamingHistory_music_0.json"));

        Assert.All(rows, r => Assert.Equal(HistoryFormat.AccountDataMusic, r.Format));
        var full = rows[1].Play!;
        Assert.Null(full.TrackSpotifyId);
        Assert.Equal("Summer of Glass Rain", full.TrackName);
        Assert.Equal("Die Frozen Stone", Assert.Single(full.Artists).Name);
        Assert.Equal(201345, full.MsPlayed);
        Assert.Null(full.AlbumName);
        Assert.Null(full.Skipped);
        Assert.Null(full.Platform);
        Assert.Equal(SkipReason.ZeroMs, rows[2].Skip);
    }

    [Fact]
    public async Task The_older_account_data_file_name_holds_the_same_format()
    {
        var play = Assert.Single(await ReadFileAsync(Sample("StreamingHistory0.json"))).Play!;

        Assert.Equal("Straße", play.TrackName);
        Assert.Equal("Los Velvet Machine", play.Artists[0].Name);
        // 187000 ms is 3 min 7 s: the offset within the minute is 7 s (see the same-minute rule).
        Assert.Equal(new DateTimeOffset(2018, 12, 30, 23, 59, 7, TimeSpan.Zero), play.PlayedAt);
    }

    [Fact]
    public async Task Account_data_podcast_rows_and_video_history_rows_are_all_non_music()
    {
        var podcast = Assert.Single(await ReadFileAsync(Sample("StreamingHistory_podcast_0.json")));
        Assert.Equal(HistoryFormat.AccountDataPodcast, podcast.Format);
        Assert.Equal(SkipReason.NonMusic, podcast.Skip);

        var video = Assert.Single(await ReadFileAsync(Sample("Streaming_History_Video_2022-2024.json")));
        Assert.Equal(HistoryFormat.ExtendedVideoHistory, video.Format);
        Assert.Equal(SkipReason.NonMusic, video.Skip);
    }

    [Fact]
    public async Task A_video_history_file_skips_even_rows_that_carry_a_track_uri()
    {
        var audio = await File.ReadAllBytesAsync(Sample("Streaming_History_Audio_2023-2024_0.json"), TestContext.Current.CancellationToken);

        var rows = await ReadAsync(new MemoryStream(audio), "Streaming_History_Video_2023.json");

        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(SkipReason.NonMusic, r.Skip));
    }

    [Theory]
    [InlineData("Streaming_History_Audio_2023-2024_0.json", "upload.txt", HistoryFormat.ExtendedStreamingHistory)]
    [InlineData("Streaming_History_Audio_2023-2024_0.json", "StreamingHistory_music_0.json", HistoryFormat.ExtendedStreamingHistory)]
    [InlineData("StreamingHistory_music_0.json", "Streaming_History_Audio_2020_0.json", HistoryFormat.AccountDataMusic)]
    [InlineData("endsong_0.json", "my history", HistoryFormat.ExtendedStreamingHistory)]
    [InlineData("StreamingHistory_podcast_0.json", "StreamingHistory_music_3.json", HistoryFormat.AccountDataPodcast)]
    public async Task The_format_comes_from_the_content_not_the_file_name(string sample, string uploadedAs, HistoryFormat expected)
    {
        var rows = await ReadFileAsync(Sample(sample), uploadedAs);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(expected, r.Format));
        Assert.All(rows, r => Assert.Equal(uploadedAs, r.Source));
    }

    [Fact]
    public async Task A_non_seekable_json_stream_reads_like_a_file_and_a_bom_is_accepted()
    {
        var bytes = await File.ReadAllBytesAsync(Sample("Streaming_History_Audio_2023-2024_0.json"), TestContext.Current.CancellationToken);
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. bytes];

        var rows = await ReadAsync(new OneByteAtATimeStream(withBom), "x.json");

        Assert.Equal(5, rows.Count);
        Assert.Equal(2, rows.Count(r => r.IsPlay));
        Assert.Equal("Café \"Nocturne\"", rows[0].Play!.TrackName);
    }

    [Fact]
    public async Task Rows_of_a_file_larger_than_the_read_buffer_are_all_read_in_order()
    {
        // ~3 MB: many buffer refills, rows cut at every possible place.
        var json = new System.Text.StringBuilder("[");
        for (var i = 0; i < 20_000; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{{\"ts\":\"2020-01-01T00:00:00Z\",\"ms_played\":{i + 1},\"master_metadata_track_name\":\"T{i}\",\"master_metadata_album_artist_name\":\"A\",\"spotify_track_uri\":\"spotify:track:4uLU6hMCjMI75M1A2tKUQC\",\"ip_addr\":\"{new string('9', 100)}\"}}");
        }

        json.Append(']');
        var rows = await ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToString())), "big.json");

        Assert.Equal(20_000, rows.Count);
        Assert.Equal(Enumerable.Range(1, 20_000), rows.Select(r => r.Play!.MsPlayed));
    }
}

/// <summary>A stream that is not seekable and returns one byte per read: the worst case for buffering.</summary>
internal sealed class OneByteAtATimeStream(byte[] data) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= data.Length || buffer.Length == 0)
        {
            return 0;
        }

        buffer[0] = data[_position++];
        return 1;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
