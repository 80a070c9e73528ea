using System.Text.Json;

namespace MyiV3.Jobs.Spotify;

internal static class SpotifyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
