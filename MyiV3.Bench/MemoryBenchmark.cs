using System.Diagnostics;
using System.Globalization;
using MyiV3.Jobs.Import.Generator;

namespace MyiV3.Bench;

/// <summary>
/// Peak memory of the real command-line import (a child process, so nothing of the benchmark's own
/// memory counts) on a generated upload of about 1 GB: the import must stream, not buffer.
/// </summary>
internal static class MemoryBenchmark
{
    /// <param name="zip">A ZIP of files of 16,000 rows, as Spotify splits an export (its entries are parsed on
    /// several threads), instead of one JSON file of about <paramref name="bytes"/>.</param>
    public static async Task RunAsync(BenchDatabase cluster, long bytes, bool zip)
    {
        var file = Path.Combine(Path.GetTempPath(), zip ? $"my_spotify_data_bench_{bytes}.zip" : $"Streaming_History_Audio_bench_{bytes}.json");
        if (!File.Exists(file))
        {
            var options = HistoryGenerator.ForApproximateSize(bytes);
            var generator = new HistoryGenerator(zip ? options with { RowsPerFile = 16_000 } : options);
            if (zip)
            {
                generator.WriteZip(file);
            }
            else
            {
                await using var output = File.Create(file);
                generator.WriteSingleFile(output);
            }
        }

        var size = new FileInfo(file).Length;
        var dataSource = await cluster.CreateMigratedDatabaseAsync();
        var connection = cluster.ConnectionStringOf(dataSource);
        await dataSource.DisposeAsync();

        var web = Path.Combine(AppContext.BaseDirectory, "MyiV3.Web.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { web, "import", file, "--user", "memory", $"--ConnectionStrings:Myi={connection}" })
        {
            psi.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peakKb = 0;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ReadKb(process.Id, "VmHWM:"));
            await Task.Delay(100);
        }

        await process.WaitForExitAsync();
        var last = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.Contains("Completed", StringComparison.Ordinal) || l.Contains("Failed", StringComparison.Ordinal));
        Console.WriteLine($"memory: {size / 1e9:F2} GB upload imported by the command line in {sw.Elapsed.TotalSeconds:F0}s, exit {process.ExitCode}; peak working set (VmHWM) {peakKb / 1024.0:F0} MB");
        Console.WriteLine($"  {last?.Trim()} {(await stderr).Trim()}");
    }

    private static long ReadKb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
