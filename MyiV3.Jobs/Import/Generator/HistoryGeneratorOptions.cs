using System.IO.Compression;

namespace MyiV3.Jobs.Import.Generator;

/// <summary>The shape of a generated history. Equal options give byte-identical files.</summary>
public sealed record HistoryGeneratorOptions
{
    /// <summary>Distinct music plays (ms_played &gt; 0) in the history; podcasts, zero-ms rows, video rows and overlap repeats come on top.</summary>
    public int Plays { get; init; } = 10_000;

    public int Years { get; init; } = 3;

    /// <summary>The last day of the history (fixed, so output never depends on the clock).</summary>
    public DateOnly LastDay { get; init; } = new(2024, 12, 31);

    public int Seed { get; init; } = 42;

    /// <summary>Written into <c>username</c> of the legacy endsong format. Obviously fake.</summary>
    public string UserName { get; init; } = "fake-user";

    /// <summary>Distinct tracks; by default about one per eight plays, between 200 and 60,000.</summary>
    public int? CatalogTracks { get; init; }

    /// <summary>Exponent of the Zipf law of track popularity.</summary>
    public double ZipfExponent { get; init; } = 1.05;

    public double SkipRate { get; init; } = 0.22;
    public double ShuffleRate { get; init; } = 0.35;

    /// <summary>Extra podcast rows, as a fraction of <see cref="Plays"/>.</summary>
    public double PodcastRate { get; init; } = 0.04;

    /// <summary>Extra audiobook rows (extended format only), as a fraction of <see cref="Plays"/>.</summary>
    public double AudiobookRate { get; init; } = 0.004;

    /// <summary>Extra track rows with ms_played 0, as a fraction of <see cref="Plays"/>.</summary>
    public double ZeroMsRate { get; init; } = 0.006;

    /// <summary>Chance that a play is a quick skip followed, in the same minute, by a full play of the same track.</summary>
    public double SkipThenReplayRate { get; init; } = 0.01;

    /// <summary>Rows per history file before the next file starts (Spotify splits at roughly 12 MB).</summary>
    public int RowsPerFile { get; init; } = 16_000;

    /// <summary>The last rows of each file repeated at the start of the next one, as Spotify's files overlap.</summary>
    public int OverlapRows { get; init; } = 40;

    /// <summary>Rows of the <c>Streaming_History_Video_*.json</c> file (extended format only; 0 for none).</summary>
    public int VideoRows { get; init; } = 25;

    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;
}

/// <summary>Which export a generator writes.</summary>
public enum GeneratedLayout
{
    /// <summary>Today's extended streaming history: <c>Spotify Extended Streaming History/Streaming_History_Audio_*.json</c>.</summary>
    Extended,

    /// <summary>The older extended history: <c>MyData/endsong_&lt;n&gt;.json</c> with username, ip_addr_decrypted, user_agent_decrypted.</summary>
    Endsong,

    /// <summary>The account-data export: <c>Spotify Account Data/StreamingHistory_music_&lt;n&gt;.json</c> and <c>_podcast_</c>, minute precision.</summary>
    AccountData,
}
