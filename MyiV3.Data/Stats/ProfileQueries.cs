namespace MyiV3.Data.Stats;

/// <summary>A profile its owner made public (<c>user_settings.is_profile_public</c>).</summary>
public sealed record PublicProfile(long UserId, string DisplayName, string? AvatarUrl, bool ShowRecentPlays);

/// <summary>Finds public profiles; a private or unknown one is the same null, so the page reveals neither.</summary>
public sealed class ProfileQueries(Npgsql.NpgsqlDataSource dataSource)
{
    public Task<PublicProfile?> FindPublicAsync(string spotifyId, CancellationToken ct) =>
        SqlReader.SingleAsync(dataSource, """
            SELECT u.id, u.display_name, u.avatar_url, s.show_recent_plays
            FROM users u JOIN user_settings s ON s.user_id = u.id
            WHERE u.spotify_id = $1 AND s.is_profile_public
            """,
            r => new PublicProfile(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3)),
            ct, spotifyId);
}
