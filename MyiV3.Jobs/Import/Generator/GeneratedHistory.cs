namespace MyiV3.Jobs.Import.Generator;

/// <summary>
/// What a generated export holds, in the terms of the parser's outcome: these are the exact counts an import of
/// it must produce.
/// </summary>
public sealed record GeneratedHistory
{
    public required IReadOnlyList<GeneratedFile> Files { get; init; }

    /// <summary>Rows in all history files, overlap repeats included.</summary>
    public long Rows { get; init; }

    /// <summary>Rows that parse as plays, overlap repeats included.</summary>
    public long PlayRows { get; init; }

    /// <summary>Distinct plays: what the database must hold after the import.</summary>
    public long DistinctPlays { get; init; }

    /// <summary>Play rows that repeat an earlier play row exactly (file overlaps).</summary>
    public long DuplicatePlayRows => PlayRows - DistinctPlays;

    /// <summary>Podcast, audiobook and video rows (overlap repeats included).</summary>
    public long NonMusicRows { get; init; }

    /// <summary>Track rows with ms_played 0 (overlap repeats included).</summary>
    public long ZeroMsRows { get; init; }

    /// <summary>Distinct plays flagged skipped (extended layouts; 0 for account data, which has no flag).</summary>
    public long SkippedPlays { get; init; }

    /// <summary>Sum of ms_played over distinct plays.</summary>
    public long TotalMsPlayed { get; init; }

    /// <summary>Bytes of JSON written (uncompressed).</summary>
    public long JsonBytes { get; init; }
}

/// <summary>One written file: its path in the ZIP (or name on disk), rows and uncompressed bytes.</summary>
public sealed record GeneratedFile(string Name, long Rows, long Bytes);

/// <summary>One distinct play of the generated history, as its truth (the extended format's values).</summary>
public sealed record GeneratedPlay(
    DateTime EndedAt,
    int MsPlayed,
    GeneratedTrack Track,
    bool Skipped,
    bool Shuffle,
    string ReasonStart,
    string ReasonEnd,
    string Platform,
    string ConnCountry,
    bool Offline,
    bool Incognito);
