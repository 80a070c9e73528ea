using MyiV3.Data.Ingestion;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// One row of a history file: either a <see cref="Play"/> to ingest, or a <see cref="Skip"/> with its reason.
/// <see cref="Source"/> names the file (the ZIP entry's full name) and <see cref="Row"/> its 1-based position in it.
/// </summary>
public readonly record struct ParsedRow
{
    private ParsedRow(PlayRecord? play, SkipReason? skip, string? detail, string source, HistoryFormat format, long row)
    {
        Play = play;
        Skip = skip;
        Detail = detail;
        Source = source;
        Format = format;
        Row = row;
    }

    /// <summary>The play, when the row is one; null when it is skipped.</summary>
    public PlayRecord? Play { get; }

    /// <summary>Why the row is skipped; null when it is a play.</summary>
    public SkipReason? Skip { get; }

    /// <summary>For <see cref="SkipReason.Invalid"/>: what is wrong with the row, in words a person can act on.</summary>
    public string? Detail { get; }

    public string Source { get; }

    public HistoryFormat Format { get; }

    public long Row { get; }

    public bool IsPlay => Play is not null;

    public static ParsedRow ForPlay(PlayRecord play, string source, HistoryFormat format, long row) =>
        new(play, null, null, source, format, row);

    public static ParsedRow Skipped(SkipReason reason, string? detail, string source, HistoryFormat format, long row) =>
        new(null, reason, detail, source, format, row);

    public override string ToString() => Play is not null
        ? $"{Source}#{Row}: play {Play.TrackName} @ {Play.PlayedAt:O}"
        : $"{Source}#{Row}: skipped {Skip} {Detail}";
}
