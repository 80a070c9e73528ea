using System.Diagnostics;
using System.Globalization;
using MyiV3.Data.Entities;
using MyiV3.Jobs.Import;

namespace MyiV3.Web.Cli;

internal static class ImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var user = (await CliApp.FindUserAsync(services, args.User, create: true, ct))!;
        var store = services.GetRequiredService<UploadStore>();
        var failed = 0;
        foreach (var path in args.Files.SelectMany(Expand))
        {
            if (Directory.Exists(path))
            {
                await error.WriteLineAsync($"{path}: a folder without Spotify history files (Streaming_History*.json, StreamingHistory*.json, endsong*.json or a ZIP) in it");
                failed++;
                continue;
            }

            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"{path}: no such file");
                failed++;
                continue;
            }

            var sw = Stopwatch.StartNew();
            var job = await store.RegisterLocalFileAsync(user.Id, path, ct);

            var processor = services.GetRequiredService<ImportProcessor>();
            processor.Progress = j => output.Write(
                string.Create(CultureInfo.InvariantCulture, $"\r{j.FileName}: {j.Status} read {j.ProcessedRows:N0} rows, imported {j.ImportedRows:N0}, duplicates {j.DuplicateRows:N0}   "));
            var done = await processor.ProcessAsync(job.Id, ct) ?? job;
            await output.WriteLineAsync();
            var seconds = sw.Elapsed.TotalSeconds;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{done.FileName}: {done.Status} in {seconds:F2}s — {done.ImportedRows:N0} plays imported ({done.ImportedRows / Math.Max(seconds, 1e-9):N0}/s), {done.DuplicateRows:N0} duplicates, skipped {done.SkippedNonMusic:N0} non-music, {done.SkippedZeroMs:N0} zero-length, {done.SkippedInvalid:N0} invalid"));
            if (done.Status == JobStatus.Failed)
            {
                await error.WriteLineAsync($"{done.FileName}: {done.ErrorMessage}");
                failed++;
            }
            else if (done.ErrorMessage is not null)
            {
                await output.WriteLineAsync(done.ErrorMessage);
            }
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>A folder stands for the history files in it (an export unpacked); a file for itself.</summary>
    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path) && MyiV3.Jobs.Import.Parsers.HistoryFolder.Files(path) is { Count: > 0 } files ? files : [path];
}
