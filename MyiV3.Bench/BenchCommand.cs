using System.Globalization;

namespace MyiV3.Bench;

internal static class BenchCommand
{
    public static async Task<int> RunAsync(string command, string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        if (command == "parse")
        {
            await ParseBenchmark.RunAsync(Arg(0, 250_000), Arg(1, 3));
            return 0;
        }

        await using var cluster = await BenchDatabase.StartAsync();
        switch (command)
        {
            case "stage":
                await StageBenchmark.RunAsync(cluster, Arg(0, 250_000), Arg(1, 4));
                break;
            case "import":
                await ImportBenchmark.RunAsync(cluster, Arg(0, 250_000), Arg(1, 3));
                break;
            case "naive":
                await NaiveBenchmark.RunAsync(cluster, Arg(0, 10_000));
                break;
            case "memory":
                await MemoryBenchmark.RunAsync(cluster, Arg(0, 1024) * 1024L * 1024, zip: args.Length > 1 && args[1] == "zip");
                break;
            case "dashboard":
                await DashboardBenchmark.RunAsync(cluster, Arg(0, 1_000_000));
                break;
            case "sync":
                await SyncBenchmark.RunAsync(cluster, Arg(0, 1_000));
                return Environment.ExitCode;
            default:
                Console.Error.WriteLine("usage: import [plays] [runs] | stage [plays] [runs] | parse [plays] [runs] | naive [sample] | memory [MB] [zip] | dashboard [plays] | sync [users] | generate <zip> [plays] [layout]");
                return 64;
        }

        return 0;
    }
}
