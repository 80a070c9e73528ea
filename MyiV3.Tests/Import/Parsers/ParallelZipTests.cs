using System.IO.Compression;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>
/// A ZIP stored as a file is parsed on several threads; what comes out must be exactly what one thread
/// reads: the same rows in the same order (the staged order numbers and the checkpoint depend on it),
/// the same per-file summaries, and the same error for a broken export.
/// </summary>
public sealed class ParallelZipTests : IDisposable
{
    private readonly string _dir = TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HistoryReaderOptions Readers(int readers, List<HistoryFileSummary>? summaries = null) =>
        new() { ZipReaders = readers, FileCompleted = summaries is null ? null : summaries.Add };

    private string WriteZip(string name, params (string Name, byte[] Content)[] entries)
    {
        var path = Path.Combine(_dir, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, content) in entries)
        {
            using var entry = zip.CreateEntry(entryName).Open();
            entry.Write(content);
        }

        return path;
    }

    private static async Task<(List<string> Rows, Exception? Error)> ReadUntilErrorAsync(string path, HistoryReaderOptions options)
    {
        var rows = new List<string>();
        try
        {
            await using var file = File.OpenRead(path);
            await foreach (var row in Reader().ReadAsync(file, "my_spotify_data.zip", options, TestContext.Current.CancellationToken))
            {
                rows.Add(Describe(row));
            }
        }
        catch (HistoryFormatException ex)
        {
            return (rows, ex);
        }

        return (rows, null);
    }

    [Theory]
    [InlineData(GeneratedLayout.Extended)]
    [InlineData(GeneratedLayout.AccountData)]
    public async Task A_generated_export_read_on_several_threads_gives_every_row_in_the_order_one_thread_reads_them(GeneratedLayout layout)
    {
        var path = Path.Combine(_dir, "my_spotify_data.zip");
        var generated = new HistoryGenerator(new HistoryGeneratorOptions { Plays = 12_000, RowsPerFile = 1_500, Seed = 7 }).WriteZip(path, layout);
        Assert.True(generated.Files.Count > 6);
        var (oneSummaries, manySummaries) = (new List<HistoryFileSummary>(), new List<HistoryFileSummary>());

        var one = await ReadUntilErrorAsync(path, Readers(1, oneSummaries));
        var many = await ReadUntilErrorAsync(path, Readers(3, manySummaries));

        Assert.Null(one.Error);
        Assert.Null(many.Error);
        Assert.Equal(generated.Rows, one.Rows.Count);
        Assert.Equal(one.Rows, many.Rows);
        Assert.Equal(oneSummaries, manySummaries);
    }

    [Fact]
    public async Task A_broken_entry_between_good_ones_fails_with_the_same_message_after_the_same_rows()
    {
        var good = File.ReadAllBytes(Sample("Streaming_History_Audio_2023-2024_0.json"));
        var truncated = good[..(good.Length / 2)];
        var path = WriteZip("broken.zip",
            ("Spotify Extended Streaming History/Streaming_History_Audio_2019_0.json", good),
            ("Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf", "%PDF-1.4 fake"u8.ToArray()),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2020_1.json", good),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2021_2.json", truncated),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2022_3.json", good),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2023_4.json", good));

        var one = await ReadUntilErrorAsync(path, Readers(1));
        var many = await ReadUntilErrorAsync(path, Readers(2));

        Assert.NotNull(one.Error);
        Assert.Contains("Streaming_History_Audio_2021_2.json", one.Error.Message, StringComparison.Ordinal);
        Assert.Equal(one.Error.Message, many.Error?.Message);
        Assert.Equal(one.Rows, many.Rows);
        Assert.DoesNotContain(many.Rows, r => r.Contains("2022_3", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Damaged_compressed_data_inside_an_entry_is_refused_as_a_damaged_zip(int readers)
    {
        var path = Path.Combine(_dir, "my_spotify_data.zip");
        new HistoryGenerator(new HistoryGeneratorOptions { Plays = 6_000, RowsPerFile = 2_000, Seed = 5 }).WriteZip(path);
        var bytes = File.ReadAllBytes(path);
        // Scramble compressed data early in the archive (inside the first history entries), as a broken download would.
        for (var i = bytes.Length / 8; i < bytes.Length / 8 + 64; i++)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(path, bytes);

        var (_, error) = await ReadUntilErrorAsync(path, Readers(readers));

        Assert.NotNull(error);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains("Download it from Spotify again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_that_stops_early_leaves_no_worker_behind()
    {
        var path = Path.Combine(_dir, "my_spotify_data.zip");
        new HistoryGenerator(new HistoryGeneratorOptions { Plays = 8_000, RowsPerFile = 1_000, Seed = 3 }).WriteZip(path);
        var read = 0;
        await using (var file = File.OpenRead(path))
        {
            await foreach (var _ in Reader().ReadAsync(file, "my_spotify_data.zip", Readers(2), TestContext.Current.CancellationToken))
            {
                if (++read == 700)
                {
                    break;
                }
            }
        }

        Assert.Equal(700, read);
        // The workers' own handles on the file are closed: it can be opened for writing again.
        await using var again = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }
}
