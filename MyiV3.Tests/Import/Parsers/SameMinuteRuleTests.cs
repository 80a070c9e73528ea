using System.Text;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>Account-data plays ending in the same minute: distinct plays all count, identical rows once, always the same instants.</summary>
public sealed class SameMinuteRuleTests
{
    private static string Row(string minute, string track, int ms, string artist = "Die Frozen Stone") =>
        $$"""{"endTime":"{{minute}}","artistName":"{{artist}}","trackName":"{{track}}","msPlayed":{{ms}}}""";

    private static async Task<List<DateTimeOffset>> PlayedAtAsync(params string[] rows)
    {
        var parsed = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("[" + string.Join(",", rows) + "]")), "StreamingHistory_music_0.json");
        return parsed.Select(r => r.Play!.PlayedAt).ToList();
    }

    private static DateTimeOffset At(int second, int ms = 0) => new DateTimeOffset(2019, 2, 4, 19, 23, second, TimeSpan.Zero).AddMilliseconds(ms);

    [Fact]
    public async Task A_skip_then_a_full_play_of_one_track_in_one_minute_are_two_plays_within_that_minute()
    {
        var times = await PlayedAtAsync(Row("2019-02-04 19:23", "Song", 5012), Row("2019-02-04 19:23", "Song", 201345));

        Assert.Equal([At(5, 12), At(21, 345)], times);
    }

    [Fact]
    public async Task Rows_identical_in_every_field_get_the_same_instant_so_they_count_once()
    {
        var times = await PlayedAtAsync(Row("2019-02-04 19:23", "Song", 5012), Row("2019-02-04 19:23", "Song", 5012), Row("2019-02-04 19:23", "Song", 201345));

        Assert.Equal(2, times.Distinct().Count());
        Assert.Equal(times[0], times[1]);
    }

    [Fact]
    public async Task The_instant_depends_on_the_row_not_on_its_position_so_overlapping_files_agree()
    {
        var alone = await PlayedAtAsync(Row("2019-02-04 19:23", "Song", 201345));
        var afterOthers = await PlayedAtAsync(Row("2019-02-04 19:22", "Other", 1000), Row("2019-02-04 19:23", "Song", 5012), Row("2019-02-04 19:23", "Song", 201345));

        Assert.Equal(alone[0], afterOthers[2]);
    }

    [Fact]
    public async Task Different_tracks_or_artists_in_one_minute_do_not_interfere()
    {
        var times = await PlayedAtAsync(Row("2019-02-04 19:23", "Song", 5000), Row("2019-02-04 19:23", "Other", 5000), Row("2019-02-04 19:23", "Song", 5000, artist: "Someone Else"));

        Assert.All(times, t => Assert.Equal(At(5), t));
    }

    [Fact]
    public async Task Two_plays_whose_lengths_differ_by_whole_minutes_still_get_distinct_instants()
    {
        var times = await PlayedAtAsync(Row("2019-02-04 19:23", "Song", 5000), Row("2019-02-04 19:23", "Song", 65000), Row("2019-02-04 19:23", "Song", 5000));

        Assert.Equal([At(5), At(5, 1), At(5)], times);
    }

    [Fact]
    public async Task Re_reading_the_same_file_gives_identical_instants()
    {
        var first = (await ReadFileAsync(Sample("StreamingHistory_music_0.json"))).Where(r => r.IsPlay).Select(r => r.Play!.PlayedAt).ToList();
        var second = (await ReadFileAsync(Sample("StreamingHistory_music_0.json"))).Where(r => r.IsPlay).Select(r => r.Play!.PlayedAt).ToList();

        Assert.Equal(2, first.Distinct().Count());
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("2019-02-30 10:00")]
    [InlineData("2019-02-04T19:23")]
    [InlineData("2019-02-04 24:00")]
    [InlineData("yesterday")]
    public async Task An_end_time_that_is_not_a_real_minute_is_invalid(string endTime)
    {
        var json = "[" + Row("2019-02-04 19:23", "Song", 5000) + "," + Row(endTime, "Song", 5000) + "]";

        var rows = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json");

        Assert.Equal(SkipReason.Invalid, rows[1].Skip);
        Assert.Equal("endTime is not a date like 2019-02-04 19:23", rows[1].Detail);
    }
}
