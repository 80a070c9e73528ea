using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;

namespace MyiV3.Bench;

internal static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var plays = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 250_000;
        await using var cluster = await BenchDatabase.StartAsync();
        var rows = QuickPlays.Generate(plays, 42);
        for (var run = 0; run < 3; run++)
        {
            var ds = await cluster.CreateMigratedDatabaseAsync();
            await using var cmd = ds.CreateCommand("INSERT INTO users (spotify_id, display_name) VALUES ('bench', 'Bench') RETURNING id");
            var user = (long)(await cmd.ExecuteScalarAsync())!;
            var engine = new IngestionEngine(ds, TimeProvider.System, new NoListenersNotifier(), NullLogger<IngestionEngine>.Instance);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < rows.Count; i += 25_000)
            {
                await engine.IngestAsync(user, PlaySource.Import, rows.GetRange(i, Math.Min(25_000, rows.Count - i)), CancellationToken.None);
            }

            Console.WriteLine($"engine: {plays} plays in {sw.Elapsed.TotalSeconds:F2}s = {plays / sw.Elapsed.TotalSeconds:F0} plays/s");
            await ds.DisposeAsync();
        }

        return 0;
    }
}

internal static class QuickPlays
{
    public static List<PlayRecord> Generate(int count, int seed)
    {
        var rng = new Random(seed);
        var list = new List<PlayRecord>(count);
        var t = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            t = t.AddSeconds(rng.Next(60, 1200));
            var track = (int)Math.Floor(Math.Pow(rng.NextDouble(), 3) * 20_000);
            list.Add(new PlayRecord
            {
                PlayedAt = t,
                MsPlayed = rng.Next(1000, 300_000),
                TrackSpotifyId = "t" + track.ToString("D21", CultureInfo.InvariantCulture),
                TrackName = "Track " + track,
                Artists = [new ArtistRef("Artist " + (track % 3000))],
                AlbumName = "Album " + (track % 5000),
                Skipped = rng.Next(5) == 0,
                Shuffle = rng.Next(2) == 0,
                ReasonStart = "trackdone",
                ReasonEnd = "trackdone",
                Platform = "android",
                ConnCountry = "DE",
                Offline = false,
                Incognito = false,
            });
        }

        return list;
    }
}
