namespace MyiV3.Data.Entities;

public sealed class UserSettings
{
    public long UserId { get; set; }

    /// <summary>IANA zone; day, week and hour statistics are computed in it.</summary>
    public string TimeZone { get; set; } = "UTC";
    public bool IsProfilePublic { get; set; }
    public bool ShowRecentPlays { get; set; } = true;
    public bool ExcludeIncognitoPlays { get; set; }
    /// <summary>"system", "light" or "dark".</summary>
    public string Theme { get; set; } = "system";
    public DateTimeOffset UpdatedAt { get; set; }

    public User? User { get; set; }
}
