namespace MyiV3.Data.Entities;

/// <summary>
/// One play. <see cref="PlayedAt"/> is always the moment playback ended (UTC), for every source:
/// that is what exports write in <c>ts</c> and what the recently-played API usually sends.
/// </summary>
public sealed class ListeningEvent
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public long TrackId { get; set; }
    public DateTimeOffset PlayedAt { get; set; }
    public int MsPlayed { get; set; }
    public PlaySource Source { get; set; }
    public bool? Skipped { get; set; }
    public bool? Shuffle { get; set; }
    public string? ReasonStart { get; set; }
    public string? ReasonEnd { get; set; }
    public string? Platform { get; set; }
    public string? ConnCountry { get; set; }
    public bool? Offline { get; set; }
    public bool? Incognito { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public User? User { get; set; }
    public Track? Track { get; set; }
}
