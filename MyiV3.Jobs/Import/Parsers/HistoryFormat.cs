namespace MyiV3.Jobs.Import.Parsers;

/// <summary>The kind of history file, as recognised from the content of its first row.</summary>
public enum HistoryFormat
{
    /// <summary><c>Streaming_History_Audio_*.json</c>, older <c>endsong_*.json</c>: <c>ts</c>, <c>ms_played</c>, <c>spotify_track_uri</c>, …</summary>
    ExtendedStreamingHistory,

    /// <summary><c>Streaming_History_Video_*.json</c>: extended rows that are all video; every row is skipped as non-music.</summary>
    ExtendedVideoHistory,

    /// <summary>Account data <c>StreamingHistory&lt;n&gt;.json</c> / <c>StreamingHistory_music_&lt;n&gt;.json</c>: <c>endTime</c>, <c>artistName</c>, <c>trackName</c>, <c>msPlayed</c>.</summary>
    AccountDataMusic,

    /// <summary>Account data <c>StreamingHistory_podcast_&lt;n&gt;.json</c>: <c>endTime</c>, <c>podcastName</c>, <c>episodeName</c>; every row is skipped as non-music.</summary>
    AccountDataPodcast,
}
