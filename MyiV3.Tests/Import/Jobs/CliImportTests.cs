using System.Text.Json;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Tests.Fixtures;
using MyiV3.Web.Cli;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>The command line in-process against the test database: import, verify, stats --json, and verify catching a tampered statistic.</summary>
public sealed class CliImportTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var uploads = Path.Combine(Path.GetTempPath(), "myiv3-cli-uploads-" + Guid.NewGuid().ToString("N"));
        try
        {
            var exit = await CliApp.RunAsync(
                [.. args, $"--ConnectionStrings:Myi={Db.ConnectionString}", $"--Import:StorageDirectory={uploads}"],
                output, error, TestContext.Current.CancellationToken);
            // The upload's copy is gone once its import ended, whatever the outcome.
            Assert.Empty(Directory.Exists(uploads) ? Directory.GetFiles(uploads) : []);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            if (Directory.Exists(uploads))
            {
                Directory.Delete(uploads, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Import_then_verify_then_stats_json_match_the_generators_truth_and_verify_catches_tampering()
    {
        var user = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var generator = new HistoryGenerator(new HistoryGeneratorOptions { Plays = 6_000, Seed = 57, RowsPerFile = 2_000 });
        var zip = Path.Combine(Path.GetTempPath(), $"myiv3-cli-{Guid.NewGuid():N}.zip");
        var expected = generator.WriteZip(zip);

        var import = await RunAsync("import", zip, "--user", user);

        Assert.True(import.Exit == 0, import.Error);
        Assert.Contains("Completed", import.Output, StringComparison.Ordinal);
        Assert.Contains(ImportHarness.Invariant($"{expected.DistinctPlays:N0} plays imported"), import.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(zip), "the command line imports files in place and must not delete them");

        var verify = await RunAsync("verify", "--user", user);
        Assert.Equal(0, verify.Exit);
        Assert.Contains("(0 differences)", verify.Output, StringComparison.Ordinal);

        var stats = await RunAsync("stats", "--user", user, "--json");
        Assert.Equal(0, stats.Exit);
        using var json = JsonDocument.Parse(stats.Output);
        var root = json.RootElement;
        Assert.Equal(user, root.GetProperty("user").GetString());
        Assert.Equal(expected.DistinctPlays, root.GetProperty("totals").GetProperty("plays").GetInt64());
        Assert.Equal(expected.TotalMsPlayed, root.GetProperty("totals").GetProperty("ms").GetInt64());
        Assert.Equal(expected.SkippedPlays, root.GetProperty("totals").GetProperty("skips").GetInt64());
        var truth = generator.ExpectedPlays()
            .GroupBy(p => p.Track)
            .Select(g => (Track: g.Key, Plays: (long)g.Count(), Ms: g.Sum(p => (long)p.MsPlayed)))
            .OrderByDescending(t => t.Plays).ThenByDescending(t => t.Ms)
            .ToList();
        Assert.Equal(truth.Count, root.GetProperty("totals").GetProperty("distinct_tracks").GetInt64());
        var top = root.GetProperty("top_tracks");
        Assert.Equal(10, top.GetArrayLength());
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(truth[i].Plays, top[i].GetProperty("plays").GetInt64());
            Assert.Equal(truth[i].Ms, top[i].GetProperty("ms").GetInt64());
        }

        Assert.Equal(truth[0].Track.Name, top[0].GetProperty("name").GetString());
        var topAlbum = generator.ExpectedPlays().GroupBy(p => p.Track.Album)
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Sum(p => (long)p.MsPlayed)).First().Key;
        var albums = root.GetProperty("top_albums");
        Assert.Equal(topAlbum.Name, albums[0].GetProperty("name").GetString());
        Assert.Equal(topAlbum.Artist.Name, albums[0].GetProperty("artist").GetString());
        Assert.Equal(expected.DistinctPlays, root.GetProperty("hours").EnumerateArray().Sum(h => h.GetInt64()));
        Assert.Equal(expected.DistinctPlays, root.GetProperty("months").EnumerateObject().Sum(m => m.Value.GetInt64()));

        // Tamper with one statistic: verify must name it and fail.
        var userId = await Db.ScalarAsync<long>("SELECT id FROM users WHERE display_name = $1", user);
        await Db.ExecuteAsync("UPDATE user_hour_stats SET play_count = play_count + 1 WHERE user_id = $1 AND hour = (SELECT min(hour) FROM user_hour_stats WHERE user_id = $1)", userId);
        var tampered = await RunAsync("verify", "--user", user);
        Assert.NotEqual(0, tampered.Exit);
        Assert.Contains("user_hour_stats", tampered.Output, StringComparison.Ordinal);
        Assert.Contains("verify: 1 differences", tampered.Output, StringComparison.Ordinal);
        File.Delete(zip);
    }

    [Fact]
    public async Task A_broken_file_makes_import_exit_non_zero_with_the_reason()
    {
        var user = "cli-" + Guid.NewGuid().ToString("N")[..8];

        var run = await RunAsync("import", ImportHarness.Sample("Bad/object.json"), "--user", user);

        Assert.Equal(1, run.Exit);
        Assert.Contains("is a JSON object; Spotify history files are JSON arrays", run.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(ImportHarness.Sample("Bad/object.json")));
    }

    [Fact]
    public async Task An_unpacked_export_folder_imports_its_history_files_and_passes_over_the_side_files()
    {
        var user = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var generator = new HistoryGenerator(new HistoryGeneratorOptions { Plays = 3_000, Seed = 58, RowsPerFile = 1_000 });
        var zip = Path.Combine(Path.GetTempPath(), $"myiv3-cli-{Guid.NewGuid():N}.zip");
        var expected = generator.WriteZip(zip);
        // As macOS leaves a downloaded export: unpacked, with the read-me, a side file and resource forks beside the history.
        var folder = Path.Combine(Path.GetTempPath(), $"myiv3-cli-folder-{Guid.NewGuid():N}");
        System.IO.Compression.ZipFile.ExtractToDirectory(zip, folder);
        var history = Directory.GetFiles(folder, "Streaming_History*.json", SearchOption.AllDirectories);
        Assert.True(history.Length > 2, "the generated export has several history files");
        await File.WriteAllTextAsync(Path.Combine(folder, "ReadMeFirst_ExtendedStreamingHistory.pdf"), "%PDF-1.4", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "Userdata.json"), """{"username":"x"}""", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(history[0])!, "._" + Path.GetFileName(history[0])), [0, 5, 22, 7], TestContext.Current.CancellationToken);
        try
        {
            var import = await RunAsync("import", folder, "--user", user);

            Assert.True(import.Exit == 0, import.Error);
            Assert.Equal(history.Length, import.Output.Split('\n').Count(l => l.Contains(": Completed in", StringComparison.Ordinal)));
            var userId = await Db.ScalarAsync<long>("SELECT id FROM users WHERE display_name = $1", user);
            Assert.Equal(expected.DistinctPlays, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", userId));
            Assert.Equal(0, (await RunAsync("verify", "--user", user)).Exit);

            var empty = Path.Combine(folder, "empty");
            Directory.CreateDirectory(empty);
            var none = await RunAsync("import", empty, "--user", user);
            Assert.Equal(1, none.Exit);
            Assert.Contains("a folder without Spotify history files", none.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            File.Delete(zip);
        }
    }

    [Fact]
    public async Task Stats_json_as_a_process_writes_only_json_to_stdout_with_every_log_line_on_stderr()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = "cli-pipe-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), $"myiv3-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            [{"endTime":"2024-05-01 09:30","artistName":"Pipe Band","trackName":"Stdout Song","msPlayed":200000}]
            """, ct);
        try
        {
            Assert.Equal(0, (await RunAsync("import", file, "--user", user)).Exit);

            // As a script runs it (`… stats --json | jq`), with logging turned up so that there is something to log.
            var (exit, stdout, stderr) = await RunProcessAsync(ct, "stats", "--user", user, "--json",
                $"--ConnectionStrings:Myi={Db.ConnectionString}", "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Information");

            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal(1, json.RootElement.GetProperty("totals").GetProperty("plays").GetInt64());
            Assert.Contains("info:", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task On_the_embedded_default_the_clusters_own_log_lines_also_go_to_stderr()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(Path.GetTempPath(), $"myiv3-cli-embedded-{Guid.NewGuid():N}");
        try
        {
            // No connection string: the command starts (initdb, migrations) and stops its own cluster, as for a new user.
            var (exit, stdout, stderr) = await RunProcessAsync(ct, "stats", "--user", "nobody", "--json", "--ConnectionStrings:Myi=",
                $"--Database:Embedded:RootDirectory={root}", "--Database:Embedded:Settings:fsync=off", "--Logging:LogLevel:Default=Information");

            Assert.True(exit == 2, stderr);
            Assert.Equal("", stdout);
            Assert.Contains("Starting the embedded PostgreSQL cluster", stderr, StringComparison.Ordinal);
            Assert.Contains("No user named nobody.", stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Runs the app's command line as a separate process, as a script would, and returns what it wrote where.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(CancellationToken ct, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MyiV3.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(3), ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
