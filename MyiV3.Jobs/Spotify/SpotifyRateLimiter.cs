using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MyiV3.Jobs.Spotify;

/// <summary>
/// The one limiter every Web API request of the process passes (sync, top stats, metadata):
/// no 60-second span, wherever it starts, ever sees more than the limit. Requests over the limit
/// wait in a queue; they are not refused.
/// </summary>
public sealed class SpotifyRateLimiter : IDisposable
{
    public SpotifyRateLimiter(IOptions<SpotifyOptions> options)
    {
        var perMinute = Math.Max(1, options.Value.RequestsPerMinute);
        // A segmented window hands a permit back when its segment leaves the window, i.e. up to one
        // segment sooner than 60 s after the request that used it; a plain one-minute window let the
        // sync benchmark put 184 requests into one 60-second span. One extra segment keeps every
        // permit for at least a full minute (so ≤ the limit in any span), at 60/62.5 of the rate.
        Limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = Segment * (Segments + 1),
            SegmentsPerWindow = Segments + 1,
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private const int Segments = 24;
    private static readonly TimeSpan Segment = TimeSpan.FromMinutes(1) / Segments;

    public RateLimiter Limiter { get; }

    public void Dispose() => Limiter.Dispose();
}
