using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Generator;

namespace MyiV3.Web.Features.Account;

/// <summary>
/// At first start (demo enabled, demo user without any import), generates a multi-year listening
/// history and sends it through the real import path — the same upload store, job and ingestion
/// engine a person's ZIP goes through — so "Try the demo" opens a full dashboard.
/// Demo:SeedHistory=false turns it off; Demo:Plays and Demo:Years size it.
/// </summary>
public sealed partial class DemoSeeder(
    DemoAccount demo,
    IServiceProvider services,
    IDbContextFactory<MyiDbContext> factory,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string FileName = "demo_my_spotify_data.zip";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!demo.IsEnabled || !configuration.GetValue("Demo:SeedHistory", true))
        {
            return;
        }

        // Start after the app (and its scheduler) is up, so start-up is never slowed by the demo.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            await SeedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The demo is a nicety: a failure is logged, never fatal to the app.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex);
        }
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        var user = await demo.EnsureAsync(ct);
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (await db.ImportJobs.AnyAsync(j => j.UserId == user.Id, ct))
            {
                return;
            }
        }

        if (services.GetService<IImportService>() is not { } imports)
        {
            return;
        }

        var options = new HistoryGeneratorOptions
        {
            Plays = configuration.GetValue("Demo:Plays", 25_000),
            Years = configuration.GetValue("Demo:Years", 3),
            LastDay = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1),
            Seed = 2026,
        };
        var path = Path.Combine(Path.GetTempPath(), $"myiv3-demo-{Guid.NewGuid():N}.zip");
        try
        {
            await using (var file = File.Create(path))
            {
                new HistoryGenerator(options).WriteZip(file);
            }

            await using var upload = File.OpenRead(path);
            var job = await imports.EnqueueAsync(user.Id, FileName, upload, ct);
            LogSeeded(logger, options.Plays, options.Years, job.Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo history of {Plays} plays over {Years} years queued for import as job {JobId}")]
    private static partial void LogSeeded(ILogger logger, int plays, int years, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seed the demo account's history")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
