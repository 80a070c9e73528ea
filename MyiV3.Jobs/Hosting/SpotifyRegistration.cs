using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MyiV3.Data.Embedded;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Spotify;
using MyiV3.Jobs.Sync;
using MyiV3.Jobs.TopStats;
using Polly;
using Polly.Timeout;

namespace MyiV3.Jobs.Hosting;

public static class SpotifyRegistration
{
    /// <summary>Spotify clients, token cipher and manager; the jobs are registered in <see cref="JobsRegistration"/>.</summary>
    public static IServiceCollection AddMyiSpotify(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SpotifyOptions>().Bind(configuration.GetSection(SpotifyOptions.Section));
        services.AddSingleton<SpotifyRateLimiter>();
        services.AddSingleton(sp => TokenCipher.FromOptions(
            sp.GetRequiredService<IOptions<SpotifyOptions>>().Value, DefaultKeyFile(configuration)));
        services.AddSingleton<ISpotifyTokenManager, SpotifyTokenManager>();
        services.AddTransient<SpotifyAccountLinker>();
        services.AddSingleton<CatalogWriter>();
        services.TryAddTransient<ProvisionalMerger>();
        services.AddTransient<SpotifySyncService>();
        services.AddSingleton<SyncFollowUps>();
        services.AddTransient<TopStatsService>();
        services.AddTransient<ITopStatsRefresher, TopStatsRefresher>();
        services.AddTransient<MetadataRefreshService>();

        services.AddHttpClient<SpotifyAccountsClient>()
            .AddResilienceHandler("spotify-accounts", (b, ctx) =>
            {
                var o = ctx.ServiceProvider.GetRequiredService<IOptions<SpotifyOptions>>().Value;
                b.AddRetry(RetryOptions(o, Clock(ctx.ServiceProvider)));
                b.AddTimeout(o.AttemptTimeout);
            });

        services.AddHttpClient<SpotifyApiClient>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("spotify-api", (b, ctx) =>
            {
                var o = ctx.ServiceProvider.GetRequiredService<IOptions<SpotifyOptions>>().Value;
                // Outer to inner: retry (backoff + jitter, Retry-After) → breaker → the global
                // limit, counted per attempt → the timeout of one attempt (not of the queue wait).
                b.AddRetry(RetryOptions(o, Clock(ctx.ServiceProvider)));
                b.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = o.BreakerFailureRatio,
                    MinimumThroughput = Math.Max(2, o.BreakerMinimumThroughput),
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = o.BreakerBreakDuration,
                    // A 429 concerns one user; only server trouble opens the circuit for all.
                    ShouldHandle = args => ValueTask.FromResult(IsServerTrouble(args.Outcome)),
                });
                b.AddRateLimiter(ctx.ServiceProvider.GetRequiredService<SpotifyRateLimiter>().Limiter);
                b.AddTimeout(o.AttemptTimeout);
            });
        return services;
    }

    private static TimeProvider Clock(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;

    private static HttpRetryStrategyOptions RetryOptions(SpotifyOptions o, TimeProvider time) => new()
    {
        MaxRetryAttempts = Math.Max(1, o.MaxRetries),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = o.RetryBaseDelay,
        ShouldRetryAfterHeader = true,
        ShouldHandle = args => ValueTask.FromResult(
            IsServerTrouble(args.Outcome)
            // A short Retry-After is waited out for this request only; a long one is handed back
            // so the caller reschedules that user instead of holding a worker.
            || (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } r && RetryAfter(r, time) <= o.MaxRetryAfter)),
    };

    private static bool IsServerTrouble(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError } or { StatusCode: HttpStatusCode.RequestTimeout };

    private static TimeSpan RetryAfter(HttpResponseMessage r, TimeProvider time) =>
        r.Headers.RetryAfter?.Delta
        ?? (r.Headers.RetryAfter?.Date is { } d ? d - time.GetUtcNow() : TimeSpan.FromSeconds(1));

    /// <summary>Beside the embedded cluster's folder: the data folder of a default install.</summary>
    private static string DefaultKeyFile(IConfiguration configuration)
    {
        var root = configuration["Database:Embedded:RootDirectory"];
        if (string.IsNullOrWhiteSpace(root))
        {
            root = EmbeddedPostgresOptions.DefaultRootDirectory();
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(root.TrimEnd('/', '\\'))) ?? root;
        return Path.Combine(parent, "spotify-token-key.v1");
    }
}
