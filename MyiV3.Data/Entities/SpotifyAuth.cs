namespace MyiV3.Data.Entities;

public sealed class SpotifyAuth
{
    public long UserId { get; set; }

    /// <summary>AES-256-GCM: 12-byte nonce, ciphertext, 16-byte tag. Never the plaintext token.</summary>
    public required byte[] EncryptedRefreshToken { get; set; }
    public int KeyVersion { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    public required string Scopes { get; set; }
    public bool IsValid { get; set; } = true;
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? LastRefreshedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public User? User { get; set; }
}
