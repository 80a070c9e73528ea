namespace MyiV3.Jobs.Import.Parsers;

/// <summary>Why a row of a history file is not a play to import.</summary>
public enum SkipReason
{
    /// <summary>Not a music track: podcast episode, audiobook chapter, video (null track URI, or a video/podcast file).</summary>
    NonMusic = 1,

    /// <summary>A track row with <c>ms_played</c> ≤ 0.</summary>
    ZeroMs = 2,

    /// <summary>A row that cannot be trusted: wrong types, missing or unparseable fields, dates out of range, absurd strings.</summary>
    Invalid = 3,
}
