using System.Globalization;

namespace MyiV3.Bench;

internal static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var plays = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 250_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        await using var cluster = await BenchDatabase.StartAsync();
        await ImportBenchmark.RunAsync(cluster, plays, runs);
        return 0;
    }

    public static async Task<int> SyncAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        await using var cluster = await BenchDatabase.StartAsync();
        await SyncBenchmark.RunAsync(cluster, users);
        return Environment.ExitCode;
    }
}
