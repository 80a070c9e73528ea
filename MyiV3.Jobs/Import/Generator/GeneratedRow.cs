namespace MyiV3.Jobs.Import.Generator;

internal enum RowKind : byte
{
    Music,
    ZeroMs,
    Podcast,
    Audiobook,
    Video,
}

/// <summary>One generated history row, in the extended format's terms.</summary>
internal struct GeneratedRow
{
    public DateTime EndedAt;
    public RowKind Kind;
    public GeneratedTrack? Track;
    public int MsPlayed;
    public GeneratedEpisode? Episode;
    public bool Shuffle;
    public bool Skipped;
    public bool Offline;
    public bool Incognito;
    public string ReasonStart;
    public string ReasonEnd;
    public string Platform;
    public string ConnCountry;
    public int IpSuffix;

    /// <summary>True for a row repeated at the start of the next file (an overlap), not a new event.</summary>
    public bool IsRepeat;
}

/// <summary>A podcast episode, audiobook chapter or video: a row without a track.</summary>
internal sealed record GeneratedEpisode(string Name, string ShowName, string Uri, bool IsAudiobook);
