namespace MyiV3.Jobs.Import.Generator;

/// <summary>
/// The deterministic, time-ordered stream of audio rows of a generated history. Enumerating it twice gives the
/// same rows; nothing is held but one day's timestamps, so it scales to any size.
/// <para>
/// Timestamps are strictly increasing across the whole history, so (track, ts) never repeats by accident; days
/// get more or fewer plays (weekends, a listener whose habit grows, days off), hours follow a daily curve.
/// </para>
/// </summary>
internal sealed class PlaySequence
{
    private static readonly double[] HourWeights =
    [
        0.6, 0.35, 0.2, 0.1, 0.08, 0.1, 0.4, 1.2, 1.8, 1.6, 1.3, 1.3, 1.5, 1.4, 1.3, 1.4, 1.7, 2.0, 2.2, 2.1, 2.0, 1.8, 1.4, 1.0,
    ];

    private static readonly string[] Platforms =
    [
        "android", "ios", "windows", "osx", "web_player", "Android OS 11 API 30 (samsung, SM-G991B)",
        "iOS 16.1 (iPhone14,2)", "Windows 10 (10.0.19045; x64)", "Partner sonos_one Sonos;One;;", "linux",
    ];

    private static readonly string[] Countries = ["DE", "DE", "DE", "DE", "FR", "ES", "US", "GB", "NL"];
    private static readonly string[] SessionStarts = ["appload", "playbtn", "clickrow", "remote", "clickrow"];

    private readonly HistoryGeneratorOptions _options;
    private readonly GeneratedCatalog _catalog;
    private readonly GeneratedEpisode[] _episodes;
    private readonly GeneratedEpisode[] _chapters;
    private readonly int[] _rowsPerDay;
    private readonly long[] _rowsBeforeDay;
    private readonly DateOnly _firstDay;

    public PlaySequence(HistoryGeneratorOptions options, GeneratedCatalog catalog, bool withAudiobooks)
    {
        _options = options;
        _catalog = catalog;
        var random = new GeneratorRandom(unchecked((ulong)options.Seed * 7919UL + 17UL));
        _episodes = Episodes(random, "Podcast", "episode", 14, 60, audiobook: false);
        _chapters = Episodes(random, "Audiobook", "chapter", 3, 30, audiobook: true);

        ZeroMsRows = (long)Math.Round(options.Plays * options.ZeroMsRate);
        PodcastRows = (long)Math.Round(options.Plays * options.PodcastRate);
        AudiobookRows = withAudiobooks ? (long)Math.Round(options.Plays * options.AudiobookRate) : 0;
        TotalRows = options.Plays + ZeroMsRows + PodcastRows + AudiobookRows;

        var days = Math.Max(1, options.Years * 365);
        _firstDay = options.LastDay.AddDays(1 - days);
        _rowsPerDay = PlanDays(random, days, TotalRows);
        _rowsBeforeDay = new long[days + 1];
        for (var d = 0; d < days; d++)
        {
            _rowsBeforeDay[d + 1] = _rowsBeforeDay[d] + _rowsPerDay[d];
        }
    }

    public long TotalRows { get; }

    public long ZeroMsRows { get; }

    public long PodcastRows { get; }

    public long AudiobookRows { get; }

    /// <summary>The year of the row at <paramref name="index"/> (0-based, in time order), without generating it.</summary>
    public int YearOfRow(long index)
    {
        var day = Array.BinarySearch(_rowsBeforeDay, index + 1);
        day = day >= 0 ? day - 1 : ~day - 1;
        return _firstDay.AddDays(day).Year;
    }

    public GeneratedEpisode[] VideoEpisodes(int count)
    {
        var random = new GeneratorRandom(unchecked((ulong)_options.Seed * 104729UL + 3UL));
        return Episodes(random, "Video", "video", 4, Math.Max(1, count), audiobook: false);
    }

    public DateOnly FirstDay => _firstDay;

    public IEnumerable<GeneratedRow> Rows()
    {
        var random = new GeneratorRandom(unchecked((ulong)_options.Seed * 6364136223846793005UL + 1442695040888963407UL));
        var remaining = new[] { (long)_options.Plays, ZeroMsRows, PodcastRows, AudiobookRows };
        var session = SessionState.Start(random);
        var previousEnd = DateTime.MinValue;
        var minuteGuard = new MinuteGuard();
        GeneratedTrack? replay = null;

        for (var d = 0; d < _rowsPerDay.Length; d++)
        {
            var n = _rowsPerDay[d];
            if (n == 0)
            {
                continue;
            }

            var seconds = DaySeconds(random, n);
            var midnight = _firstDay.AddDays(d).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            for (var i = 0; i < n; i++)
            {
                var ts = midnight.AddSeconds(seconds[i]);
                if ((ts - previousEnd).TotalMinutes > 30)
                {
                    session = SessionState.Start(random);
                }

                var row = new GeneratedRow
                {
                    EndedAt = ts,
                    Shuffle = session.Shuffle,
                    Offline = session.Offline,
                    Incognito = session.Incognito,
                    Platform = session.Platform,
                    ConnCountry = session.Country,
                    IpSuffix = session.IpSuffix,
                    ReasonStart = session.NextReasonStart ?? random.Pick(SessionStarts),
                };

                RowKind kind;
                if (replay is not null)
                {
                    kind = RowKind.Music;
                }
                else
                {
                    kind = DrawKind(random, remaining);
                }

                remaining[(int)kind]--;
                row.Kind = kind;
                switch (kind)
                {
                    case RowKind.Music:
                        var track = replay ?? _catalog.Sample(random);
                        row.Track = track;
                        var startsReplay = replay is null && i + 1 < n && remaining[(int)RowKind.Music] >= 1
                            && random.Chance(_options.SkipThenReplayRate)
                            && TryPullIntoNextMinute(seconds, i, midnight, previousEnd, out ts);
                        replay = null;
                        if (startsReplay)
                        {
                            // A quick skip, then (next row) the same track played in full, ending in the same minute.
                            row.EndedAt = ts;
                            row.MsPlayed = random.Next(1_500, 9_000);
                            row.Skipped = true;
                            row.ReasonEnd = "fwdbtn";
                            replay = track;
                        }
                        else
                        {
                            PlayLength(random, ref row, track);
                        }

                        row.MsPlayed = minuteGuard.Distinct(row.EndedAt, track.Index, row.MsPlayed);
                        break;
                    case RowKind.ZeroMs:
                        row.Track = _catalog.Sample(random);
                        row.MsPlayed = 0;
                        row.ReasonEnd = "endplay";
                        row.Skipped = random.Chance(0.5);
                        break;
                    case RowKind.Podcast:
                        row.Episode = random.Pick(_episodes);
                        row.MsPlayed = random.Next(20_000, 3_600_000);
                        row.ReasonEnd = random.Chance(0.7) ? "endplay" : "trackdone";
                        break;
                    default:
                        row.Episode = random.Pick(_chapters);
                        row.MsPlayed = random.Next(60_000, 2_400_000);
                        row.ReasonEnd = "endplay";
                        break;
                }

                session.NextReasonStart = row.ReasonEnd switch
                {
                    "trackdone" => "trackdone",
                    "fwdbtn" => "fwdbtn",
                    _ => null,
                };
                previousEnd = row.EndedAt;
                yield return row;
            }
        }
    }

    /// <summary>Video rows for the <c>Streaming_History_Video_*</c> file: spread over the history, in time order.</summary>
    public IEnumerable<GeneratedRow> VideoRows(int count)
    {
        var random = new GeneratorRandom(unchecked((ulong)_options.Seed * 2862933555777941757UL + 3037000493UL));
        var videos = VideoEpisodes(count);
        var span = (_options.LastDay.ToDateTime(TimeOnly.MaxValue) - _firstDay.ToDateTime(TimeOnly.MinValue)).TotalSeconds;
        var step = span / Math.Max(1, count);
        for (var i = 0; i < count; i++)
        {
            var ts = _firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(Math.Floor((i * step) + (random.NextDouble() * step * 0.9)));
            yield return new GeneratedRow
            {
                EndedAt = ts,
                Kind = RowKind.Video,
                Episode = videos[i % videos.Length],
                MsPlayed = random.Next(5_000, 1_200_000),
                Platform = "android",
                ConnCountry = "DE",
                ReasonStart = "clickrow",
                ReasonEnd = "endplay",
                IpSuffix = 7,
            };
        }
    }

    private static RowKind DrawKind(GeneratorRandom random, long[] remaining)
    {
        // Without replacement: the history holds exactly the requested number of rows of each kind.
        var total = remaining[0] + remaining[1] + remaining[2] + remaining[3];
        var pick = (long)(random.NextDouble() * total);
        for (var k = 0; k < remaining.Length; k++)
        {
            if (pick < remaining[k])
            {
                return (RowKind)k;
            }

            pick -= remaining[k];
        }

        return RowKind.Music;
    }

    private static void PlayLength(GeneratorRandom random, ref GeneratedRow row, GeneratedTrack track)
    {
        var roll = random.NextDouble();
        if (roll < 0.22)
        {
            row.MsPlayed = random.Next(400, 30_000);
            row.Skipped = true;
            row.ReasonEnd = "fwdbtn";
        }
        else if (roll < 0.85)
        {
            row.MsPlayed = Math.Max(1, track.DurationMs - random.Next(0, 1_500));
            row.ReasonEnd = "trackdone";
        }
        else
        {
            row.MsPlayed = (int)(track.DurationMs * (0.3 + (random.NextDouble() * 0.65)));
            row.ReasonEnd = random.Pick(["endplay", "logout", "unexpected-exit-while-paused", "backbtn"]);
        }
    }

    /// <summary>Moves row i's end into the minute of row i+1 (keeping order), so a skip and its replay share a minute.</summary>
    private static bool TryPullIntoNextMinute(int[] seconds, int i, DateTime midnight, DateTime previousEnd, out DateTime ts)
    {
        var next = seconds[i + 1];
        var minuteStart = next - (next % 60);
        var earliest = Math.Max(minuteStart, (int)Math.Max(0, Math.Ceiling((previousEnd - midnight).TotalSeconds + 1)));
        if (earliest >= next)
        {
            ts = default;
            return false;
        }

        seconds[i] = earliest;
        ts = midnight.AddSeconds(earliest);
        return true;
    }

    private static int[] PlanDays(GeneratorRandom random, int days, long totalRows)
    {
        var weights = new double[days];
        double sum = 0;
        for (var d = 0; d < days; d++)
        {
            var growth = 0.6 + (0.8 * d / days);
            var weekend = d % 7 is 5 or 6 ? 1.3 : 1.0;
            var dayOff = random.Chance(0.08) ? 0 : 1;
            weights[d] = growth * weekend * dayOff * (0.5 + random.NextDouble());
            sum += weights[d];
        }

        var counts = new int[days];
        double cumulative = 0;
        long assigned = 0;
        for (var d = 0; d < days; d++)
        {
            cumulative += weights[d];
            var upTo = d == days - 1 ? totalRows : (long)Math.Round(totalRows * cumulative / sum);
            var count = upTo - assigned;
            if (count > 40_000)
            {
                throw new ArgumentException("Too many plays for the years asked: raise Years so a day holds at most 40,000 rows.");
            }

            counts[d] = (int)count;
            assigned = upTo;
        }

        return counts;
    }

    /// <summary>n strictly increasing seconds of one day, following the daily listening curve.</summary>
    private static int[] DaySeconds(GeneratorRandom random, int n)
    {
        var seconds = new int[n];
        var total = 0.0;
        foreach (var w in HourWeights)
        {
            total += w;
        }

        for (var i = 0; i < n; i++)
        {
            var pick = random.NextDouble() * total;
            var hour = 0;
            while (hour < 23 && pick >= HourWeights[hour])
            {
                pick -= HourWeights[hour];
                hour++;
            }

            seconds[i] = (hour * 3600) + random.Next(3600);
        }

        Array.Sort(seconds);
        for (var i = 1; i < n; i++)
        {
            if (seconds[i] <= seconds[i - 1])
            {
                seconds[i] = seconds[i - 1] + 1;
            }
        }

        for (var i = n - 1; i >= 0 && seconds[i] > 86_399 - (n - 1 - i); i--)
        {
            seconds[i] = 86_399 - (n - 1 - i);
        }

        return seconds;
    }

    private static GeneratedEpisode[] Episodes(GeneratorRandom random, string kind, string unit, int shows, int perShow, bool audiobook)
    {
        var list = new List<GeneratedEpisode>();
        for (var s = 0; s < shows; s++)
        {
            var show = $"Fake {kind} {s + 1}";
            for (var e = 0; e < Math.Max(1, perShow / shows); e++)
            {
                var prefix = audiobook ? "spotify:chapter:" : unit == "video" ? "spotify:episode:" : "spotify:episode:";
                list.Add(new GeneratedEpisode($"{show}, {unit} {e + 1}", show, prefix + GeneratedCatalog.Id(random), audiobook));
            }
        }

        return [.. list];
    }

    private struct SessionState
    {
        public bool Shuffle;
        public bool Offline;
        public bool Incognito;
        public string Platform;
        public string Country;
        public int IpSuffix;
        public string? NextReasonStart;

        public static SessionState Start(GeneratorRandom random) => new()
        {
            Shuffle = random.Chance(0.35),
            Offline = random.Chance(0.03),
            Incognito = random.Chance(0.01),
            Platform = Platforms[Math.Min(random.Next(Platforms.Length), random.Next(Platforms.Length))],
            Country = random.Chance(0.9) ? "DE" : random.Pick(Countries),
            IpSuffix = random.Next(1, 255),
        };
    }

    /// <summary>
    /// Keeps two plays of one track in one minute apart for the account-data export, where only
    /// (minute, track, artist, msPlayed) is known: no two get the same msPlayed modulo a minute.
    /// </summary>
    private sealed class MinuteGuard
    {
        private readonly Dictionary<int, List<int>> _seen = [];
        private DateTime _minute;

        public int Distinct(DateTime endedAt, int track, int msPlayed)
        {
            var minute = endedAt.AddTicks(-(endedAt.Ticks % TimeSpan.TicksPerMinute));
            if (minute != _minute)
            {
                _seen.Clear();
                _minute = minute;
            }

            if (!_seen.TryGetValue(track, out var offsets))
            {
                offsets = [];
                _seen[track] = offsets;
            }

            while (offsets.Contains(msPlayed % 60_000))
            {
                msPlayed++;
            }

            offsets.Add(msPlayed % 60_000);
            return msPlayed;
        }
    }
}
