using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MyiV3.Jobs.Spotify;

/// <summary>
/// The one limiter every Web API request of the process passes (sync, top stats, metadata):
/// a sliding window of one minute in 12 segments, so no minute ever sees more than the limit.
/// Requests over the limit wait in a queue; they are not refused.
/// </summary>
public sealed class SpotifyRateLimiter : IDisposable
{
    public SpotifyRateLimiter(IOptions<SpotifyOptions> options)
    {
        var perMinute = Math.Max(1, options.Value.RequestsPerMinute);
        Limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 12,
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public RateLimiter Limiter { get; }

    public void Dispose() => Limiter.Dispose();
}
