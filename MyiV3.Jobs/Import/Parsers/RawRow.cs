namespace MyiV3.Jobs.Import.Parsers;

/// <summary>Which known properties a row object carried (present, even if null). Drives format detection.</summary>
[Flags]
internal enum RowFields
{
    None = 0,
    Ts = 1 << 0,
    MsPlayed = 1 << 1,
    TrackUri = 1 << 2,
    TrackName = 1 << 3,
    AlbumArtist = 1 << 4,
    EpisodeUri = 1 << 5,
    EndTime = 1 << 6,
    ArtistName = 1 << 7,
    AccountTrackName = 1 << 8,
    AccountMsPlayed = 1 << 9,
    PodcastName = 1 << 10,
    EpisodeName = 1 << 11,
    Audiobook = 1 << 12,
}

/// <summary>
/// The values of one row object as read, before any judgement. Only fields that may be kept are decoded;
/// personal data (IP address, user agent, username) is skipped over without ever being turned into a string.
/// </summary>
internal struct RawRow
{
    public RowFields Present;

    /// <summary>The first structural problem met while reading (wrong type, over-long text); null when none.</summary>
    public string? Problem;

    /// <summary>The element was not an object at all.</summary>
    public bool NotAnObject;

    /// <summary><c>ts</c> (extended) or <c>endTime</c> (account data, minute precision), UTC; null when absent, null or unparseable.</summary>
    public DateTime? Time;

    /// <summary><c>ms_played</c> / <c>msPlayed</c>; null when absent or null.</summary>
    public long? MsPlayed;

    public string? TrackUri;
    public string? TrackName;

    /// <summary><c>master_metadata_album_artist_name</c> (extended) or <c>artistName</c> (account data).</summary>
    public string? ArtistName;
    public string? AlbumName;
    public string? Platform;
    public string? ConnCountry;
    public string? ReasonStart;
    public string? ReasonEnd;
    public bool? Shuffle;
    public bool? Skipped;
    public bool? Offline;
    public bool? Incognito;

    /// <summary>
    /// An episode or audiobook field (<c>episode_name</c>, <c>spotify_episode_uri</c>, <c>audiobook_*</c>, …) holds a
    /// value: the row is a podcast episode or an audiobook chapter whatever else it says.
    /// </summary>
    public bool NonMusicValue;

    public void Fail(string problem) => Problem ??= problem;
}
