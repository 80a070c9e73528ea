namespace MyiV3.Tests.Fixtures;

public static class TestUsers
{
    public static async Task<long> CreateAsync(TestDatabase db, string? timeZone = null)
    {
        var id = await db.ScalarAsync<long>(
            "INSERT INTO users (spotify_id, display_name) VALUES ($1, 'Test user') RETURNING id", "test-" + Guid.NewGuid().ToString("N"));
        await db.ExecuteAsync("INSERT INTO user_settings (user_id, time_zone, show_recent_plays) VALUES ($1, $2, true)", id, timeZone ?? "UTC");
        return id;
    }
}
