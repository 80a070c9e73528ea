namespace MyiV3.Data.Entities;

public sealed class MetadataRefreshLog
{
    public long Id { get; set; }
    /// <summary>"track", "artist" or "album".</summary>
    public required string EntityType { get; set; }
    public long EntityId { get; set; }
    public DateTimeOffset? LastRefreshedAt { get; set; }
    public DateTimeOffset NextRefreshAt { get; set; }
    /// <summary>Consecutive failures; the back-off grows with it and resets on success.</summary>
    public int FailureCount { get; set; }
    public string? LastError { get; set; }
}
