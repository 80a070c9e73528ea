using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace MyiV3.Jobs.Import.Generator;

/// <summary>
/// Writes realistic, seeded Spotify exports: Zipf track popularity over a multi-artist catalog, several years
/// of daily and hourly rhythm, skips, shuffles, podcasts and audiobooks mixed in, a video file, files that
/// overlap like Spotify's, the legacy formats. Same options → same bytes. Every writer returns the exact
/// outcome an import must produce (<see cref="GeneratedHistory"/>), and <see cref="ExpectedPlays"/> lists the plays.
/// </summary>
public sealed class HistoryGenerator
{
    private const string ExtendedFolder = "Spotify Extended Streaming History/";
    private const string EndsongFolder = "MyData/";
    private const string AccountFolder = "Spotify Account Data/";

    public HistoryGenerator(HistoryGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Plays);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RowsPerFile);
        ArgumentOutOfRangeException.ThrowIfNegative(options.OverlapRows);
        Options = options;
        var tracks = options.CatalogTracks ?? Math.Clamp(options.Plays / 8, 200, 60_000);
        Catalog = new GeneratedCatalog(tracks, options.ZipfExponent, new GeneratorRandom((ulong)options.Seed));
    }

    public HistoryGeneratorOptions Options { get; }

    /// <summary>The tracks, albums and artists (with all credited artists, which the export itself does not name).</summary>
    public GeneratedCatalog Catalog { get; }

    /// <summary>Options for one file of roughly <paramref name="jsonBytes"/> bytes of extended history (the memory benchmark's 1 GB upload).</summary>
    public static HistoryGeneratorOptions ForApproximateSize(long jsonBytes, int seed = 1)
    {
        const double BytesPerRow = 890;
        var plays = (int)Math.Min(int.MaxValue, jsonBytes / BytesPerRow / 1.05);
        return new HistoryGeneratorOptions
        {
            Plays = Math.Max(1, plays),
            Years = (int)Math.Clamp(Math.Ceiling(plays / 60_000.0), 3, 18),
            Seed = seed,
            OverlapRows = 0,
            VideoRows = 0,
            RowsPerFile = int.MaxValue,
        };
    }

    /// <summary>A ZIP shaped like <c>my_spotify_data.zip</c> of the given export, with its non-history files too.</summary>
    public GeneratedHistory WriteZip(Stream destination, GeneratedLayout layout = GeneratedLayout.Extended)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var stamp = new DateTimeOffset(Options.LastDay.AddDays(3).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        Stream Open(string name)
        {
            var entry = zip.CreateEntry(name, Options.Compression);
            entry.LastWriteTime = stamp;
            return entry.Open();
        }

        var history = Emit(Open, layout, split: true);
        foreach (var (name, content) in ExtraFiles(layout))
        {
            using var stream = Open(name);
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        return history;
    }

    public GeneratedHistory WriteZip(string path, GeneratedLayout layout = GeneratedLayout.Extended)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        return WriteZip(file, layout);
    }

    /// <summary>The history files of the export as loose files in <paramref name="directory"/> (no folders, no extras).</summary>
    public GeneratedHistory WriteFiles(string directory, GeneratedLayout layout = GeneratedLayout.Extended)
    {
        Directory.CreateDirectory(directory);
        return Emit(name => new FileStream(Path.Combine(directory, Path.GetFileName(name)), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20), layout, split: true);
    }

    /// <summary>
    /// Every audio row of the history in one JSON array, streamed (for account data: the music rows). No overlap, no
    /// video file. With <see cref="ForApproximateSize"/> this is the benchmark's large upload.
    /// </summary>
    public GeneratedHistory WriteSingleFile(Stream destination, GeneratedLayout layout = GeneratedLayout.Extended)
    {
        ArgumentNullException.ThrowIfNull(destination);
        // Unsplit, every layout writes exactly one file.
        return Emit(_ => new NonClosingStream(destination), layout, split: false);
    }

    /// <summary>The counts of the export without writing it.</summary>
    public GeneratedHistory Describe(GeneratedLayout layout = GeneratedLayout.Extended) => Emit(_ => Stream.Null, layout, split: true);

    /// <summary>The distinct plays of the export, in time order, with their true end times (seconds; the account-data export rounds them down to the minute).</summary>
    public IEnumerable<GeneratedPlay> ExpectedPlays(GeneratedLayout layout = GeneratedLayout.Extended)
    {
        var sequence = new PlaySequence(Options, Catalog, withAudiobooks: layout == GeneratedLayout.Extended);
        foreach (var row in sequence.Rows())
        {
            if (row.Kind == RowKind.Music)
            {
                yield return new GeneratedPlay(row.EndedAt, row.MsPlayed, row.Track!, row.Skipped, row.Shuffle, row.ReasonStart,
                    row.ReasonEnd, row.Platform, row.ConnCountry, row.Offline, row.Incognito);
            }
        }
    }

    private GeneratedHistory Emit(Func<string, Stream> open, GeneratedLayout layout, bool split)
    {
        var sequence = new PlaySequence(Options, Catalog, withAudiobooks: layout == GeneratedLayout.Extended);
        var tally = new Tally(layout);
        var rowsPerFile = split ? Options.RowsPerFile : int.MaxValue;
        var overlap = split ? Options.OverlapRows : 0;
        switch (layout)
        {
            case GeneratedLayout.Extended:
                WriteSplit(sequence.Rows(), sequence.TotalRows, rowsPerFile, overlap, (k, first, last) =>
                    split
                        ? $"{ExtendedFolder}Streaming_History_Audio_{Years(sequence.YearOfRow(first), sequence.YearOfRow(last))}_{k}.json"
                        : $"Streaming_History_Audio_{Years(sequence.YearOfRow(first), sequence.YearOfRow(last))}_{k}.json",
                    open, layout, tally);
                if (split && Options.VideoRows > 0)
                {
                    var name = $"{ExtendedFolder}Streaming_History_Video_{Years(sequence.FirstDay.Year, Options.LastDay.Year)}.json";
                    WriteSplit(sequence.VideoRows(Options.VideoRows), Options.VideoRows, int.MaxValue, 0, (_, _, _) => name, open, layout, tally);
                }

                break;
            case GeneratedLayout.Endsong:
                WriteSplit(sequence.Rows(), sequence.TotalRows, rowsPerFile, overlap, (k, _, _) => Invariant($"{EndsongFolder}endsong_{k}.json"), open, layout, tally);
                break;
            default:
                WriteSplit(sequence.Rows().Where(r => r.Kind is RowKind.Music or RowKind.ZeroMs), Options.Plays + sequence.ZeroMsRows, rowsPerFile, overlap,
                    (k, _, _) => Invariant($"{AccountFolder}StreamingHistory_music_{k}.json"), open, layout, tally);
                if (split && sequence.PodcastRows > 0)
                {
                    WriteSplit(sequence.Rows().Where(r => r.Kind == RowKind.Podcast), sequence.PodcastRows, rowsPerFile, overlap,
                        (k, _, _) => Invariant($"{AccountFolder}StreamingHistory_podcast_{k}.json"), open, layout, tally);
                }

                break;
        }

        return tally.Result();
    }

    /// <summary>Writes rows into files of <paramref name="rowsPerFile"/> new rows, each after the first starting with the previous file's last <paramref name="overlap"/> rows.</summary>
    private void WriteSplit(
        IEnumerable<GeneratedRow> rows,
        long total,
        int rowsPerFile,
        int overlap,
        Func<int, long, long, string> nameOf,
        Func<string, Stream> open,
        GeneratedLayout layout,
        Tally tally)
    {
        var tail = new Queue<GeneratedRow>(overlap + 1);
        Stream? stream = null;
        HistoryJsonWriter? writer = null;
        string? name = null;
        var file = -1;
        long index = 0;
        long newInFile = 0;
        try
        {
            foreach (var row in rows)
            {
                if (writer is null || newInFile == rowsPerFile)
                {
                    if (writer is not null)
                    {
                        tally.File(name!, writer.Rows, writer.Finish());
                        writer.Dispose();
                        stream!.Dispose();
                    }

                    file++;
                    var first = Math.Max(0, index - tail.Count);
                    var last = Math.Min(total, index + rowsPerFile) - 1;
                    name = nameOf(file, first, last);
                    stream = open(name);
                    writer = new HistoryJsonWriter(stream, layout, Options.UserName);
                    newInFile = 0;
                    foreach (var repeated in tail)
                    {
                        var copy = repeated;
                        copy.IsRepeat = true;
                        writer.Write(copy);
                        tally.Count(copy);
                    }

                    tail.Clear();
                }

                writer.Write(row);
                tally.Count(row);
                newInFile++;
                index++;
                if (overlap > 0)
                {
                    if (tail.Count == overlap)
                    {
                        tail.Dequeue();
                    }

                    tail.Enqueue(row);
                }
            }

            if (writer is not null)
            {
                tally.File(name!, writer.Rows, writer.Finish());
            }
        }
        finally
        {
            writer?.Dispose();
            stream?.Dispose();
        }
    }

    private static string Years(int first, int last) => first == last
        ? first.ToString(CultureInfo.InvariantCulture)
        : Invariant($"{first}-{last}");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private IEnumerable<(string Name, string Content)> ExtraFiles(GeneratedLayout layout)
    {
        const string Pdf = "%PDF-1.4\n% generated stand-in for Spotify's read-me, not a real PDF\n%%EOF\n";
        var userdata = $$"""
            {
              "username": "{{Options.UserName}}",
              "email": "{{Options.UserName}}@example.invalid",
              "country": "DE",
              "createdFromFacebook": false,
              "birthdate": "1990-01-01",
              "gender": "neutral",
              "creationTime": "2012-03-04"
            }
            """;
        switch (layout)
        {
            case GeneratedLayout.Extended:
                yield return ($"{ExtendedFolder}ReadMeFirst_ExtendedStreamingHistory.pdf", Pdf);
                break;
            case GeneratedLayout.Endsong:
                yield return ($"{EndsongFolder}Read_Me_First.pdf", Pdf);
                yield return ($"{EndsongFolder}Userdata.json", userdata);
                break;
            default:
                yield return ($"{AccountFolder}Read_Me_First.pdf", Pdf);
                yield return ($"{AccountFolder}Userdata.json", userdata);
                yield return ($"{AccountFolder}Playlist1.json", """{ "playlists": [ { "name": "Fake mix", "lastModifiedDate": "2024-01-01", "items": [] } ] }""");
                yield return ($"{AccountFolder}SearchQueries.json", """[ { "platform": "ANDROID", "searchTime": "2024-01-01T10:00:00.000Z[UTC]", "searchQuery": "fake", "searchInteractionURIs": [] } ]""");
                break;
        }
    }

    /// <summary>Counts rows in the parser's terms while they are written.</summary>
    private sealed class Tally(GeneratedLayout layout)
    {
        private readonly List<GeneratedFile> _files = [];
        private long _rows, _playRows, _distinct, _nonMusic, _zeroMs, _skipped, _ms, _bytes;

        public void Count(in GeneratedRow row)
        {
            _rows++;
            switch (row.Kind)
            {
                case RowKind.Music:
                    _playRows++;
                    if (!row.IsRepeat)
                    {
                        _distinct++;
                        _ms += row.MsPlayed;
                        if (row.Skipped && layout != GeneratedLayout.AccountData)
                        {
                            _skipped++;
                        }
                    }

                    break;
                case RowKind.ZeroMs:
                    _zeroMs++;
                    break;
                default:
                    _nonMusic++;
                    break;
            }
        }

        public void File(string name, long rows, long bytes)
        {
            _files.Add(new GeneratedFile(name, rows, bytes));
            _bytes += bytes;
        }

        public GeneratedHistory Result() => new()
        {
            Files = _files,
            Rows = _rows,
            PlayRows = _playRows,
            DistinctPlays = _distinct,
            NonMusicRows = _nonMusic,
            ZeroMsRows = _zeroMs,
            SkippedPlays = _skipped,
            TotalMsPlayed = _ms,
            JsonBytes = _bytes,
        };
    }
}
