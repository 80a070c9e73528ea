namespace MyiV3.Data.Entities;

public sealed class User
{
    public long Id { get; set; }
    public required string SpotifyId { get; set; }
    public required string DisplayName { get; set; }
    public string? Email { get; set; }
    public string? Country { get; set; }
    public string? AvatarUrl { get; set; }
    public bool IsDemo { get; set; }

    // Denormalised so a profile reads in O(1); the ingestion engine keeps them exact.
    public long TotalPlayCount { get; set; }
    public long TotalListeningMs { get; set; }

    /// <summary>Last time plays were ingested for this user; the sync cooldown reads it.</summary>
    public DateTimeOffset? LastIngestedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public SpotifyAuth? SpotifyAuth { get; set; }
    public UserSettings? Settings { get; set; }
}
