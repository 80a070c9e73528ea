
namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Gives account-data plays (minute precision) distinct, reproducible <c>PlayedAt</c> values.
/// <para>
/// Rule: <c>PlayedAt = endTime minute + (msPlayed mod 60000) milliseconds</c>. It depends only on the row itself,
/// never on its position in a file, so an identical row in an overlapping file or a re-imported file gets the
/// same instant (and the ingestion's unique key counts it once), while distinct plays of one track in one
/// minute — a 5 s skip then a full play — differ in <c>msPlayed</c> and so get different instants. The offset
/// stays below a minute, so every play keeps the minute Spotify reported (hour and day statistics are exact).
/// </para>
/// <para>
/// Rows identical in every field (same minute, artist, track and msPlayed) are one play: the export cannot
/// tell them apart. In the rare case where two different msPlayed values of one track in one minute map to the
/// same offset (they differ by a multiple of 60 s), the later row in the file moves on by 1 ms until free.
/// That probe depends on the rows of that minute seen before it in the same file, which is deterministic for a
/// re-import of the same file.
/// </para>
/// </summary>
internal sealed class SameMinuteClock
{
    private readonly Dictionary<(string Track, string Artist), List<(long MsPlayed, int Offset)>> _minute = [];
    private DateTime _current;

    public DateTimeOffset Assign(DateTime minute, string track, string artist, long msPlayed)
    {
        if (minute != _current)
        {
            _minute.Clear();
            _current = minute;
        }

        var key = (track, artist);
        if (!_minute.TryGetValue(key, out var seen))
        {
            seen = [];
            _minute[key] = seen;
        }

        foreach (var (ms, offset) in seen)
        {
            if (ms == msPlayed)
            {
                return At(minute, offset);
            }
        }

        var candidate = (int)(msPlayed % 60_000);
        while (seen.Exists(s => s.Offset == candidate))
        {
            candidate = (candidate + 1) % 60_000;
        }

        seen.Add((msPlayed, candidate));
        return At(minute, candidate);
    }

    private static DateTimeOffset At(DateTime minute, int offsetMs) => new(minute.AddMilliseconds(offsetMs), TimeSpan.Zero);
}
