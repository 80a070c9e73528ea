using System.Diagnostics;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Import.Parsers;

namespace MyiV3.Bench;

/// <summary>
/// The parser alone, no database: unzip and parse the generated export several times in one
/// process, so the first (cold: JIT) and later (warm) runs show what staging costs on the .NET side.
/// </summary>
internal static class ParseBenchmark
{
    public static async Task RunAsync(int plays, int runs)
    {
        var zip = Path.Combine(Path.GetTempPath(), $"myiv3-bench-{plays}.zip");
        if (!File.Exists(zip))
        {
            new HistoryGenerator(new HistoryGeneratorOptions { Plays = plays, Years = 8 }).WriteZip(zip);
        }

        var reader = new HistoryReader(TimeProvider.System);
        for (var run = 1; run <= runs; run++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var gen0 = GC.CollectionCount(0);
            var sw = Stopwatch.StartNew();
            long rows = 0, plays2 = 0;
            await using var file = new FileStream(zip, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await foreach (var row in reader.ReadAsync(file, Path.GetFileName(zip)))
            {
                rows++;
                if (row.Play is not null)
                {
                    plays2++;
                }
            }

            var seconds = sw.Elapsed.TotalSeconds;
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Console.WriteLine($"parse run {run}: {rows:N0} rows ({plays2:N0} plays) in {seconds:F2}s = {rows / seconds:N0} rows/s · CPU {cpu.TotalSeconds:F2}s · allocated {allocated / 1e6:N0} MB, {GC.CollectionCount(0) - gen0} gen0 GCs");
        }
    }
}
