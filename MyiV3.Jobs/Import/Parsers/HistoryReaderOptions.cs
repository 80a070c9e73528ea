namespace MyiV3.Jobs.Import.Parsers;

/// <summary>Limits that keep a hostile or broken upload from costing unbounded memory, disk or time.</summary>
public sealed record HistoryReaderOptions
{
    public static HistoryReaderOptions Default { get; } = new();

    /// <summary>Total bytes all ZIP entries may decompress to (declared and actually read).</summary>
    public long MaxUncompressedBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Largest uncompressed/compressed ratio of an entry; real history JSON deflates about 10–20×.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Entries smaller than this are not ratio-checked (tiny files compress absurdly well and are harmless).</summary>
    public long CompressionRatioCheckFromBytes { get; init; } = 1024 * 1024;

    /// <summary>Entries a ZIP may hold; a real export has a few dozen.</summary>
    public int MaxZipEntries { get; init; } = 10_000;

    /// <summary>JSON nesting allowed; a history file nests 2 levels (array of flat objects).</summary>
    public int MaxJsonDepth { get; init; } = 16;

    /// <summary>Longest text value kept (characters); longer values make the row Invalid.</summary>
    public int MaxStringLength { get; init; } = 1024;

    /// <summary>Largest single row (one JSON object) in bytes; real rows are under 2 KB. Bigger means the file is not a history.</summary>
    public int MaxRowBytes { get; init; } = 1024 * 1024;

    /// <summary>Earliest accepted play: Spotify launched in 2006.</summary>
    public DateTimeOffset EarliestPlay { get; init; } = new(2006, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far past the reader's clock a play may be dated (clock skew).</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Threads that parse a ZIP's entries side by side when the ZIP is a file (the rows still come out in
    /// archive order, exactly as one thread reads them); 1 reads on the caller's thread only.
    /// </summary>
    public int ZipReaders { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Called when a history file (or ZIP entry) has been read to its end.</summary>
    public Action<HistoryFileSummary>? FileCompleted { get; init; }
}

/// <summary>Counts of one history file, reported through <see cref="HistoryReaderOptions.FileCompleted"/>.</summary>
public sealed record HistoryFileSummary(string Source, HistoryFormat Format, long Rows, long Plays, long NonMusic, long ZeroMs, long Invalid);
