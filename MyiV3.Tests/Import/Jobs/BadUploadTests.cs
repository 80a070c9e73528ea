using System.IO.Compression;
using System.Text;
using MyiV3.Data.Entities;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Import.Parsers;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>
/// The bad-input corpus end to end: a user with a real history uploads a bad file. Whole-file problems end FAILED
/// with a message a person can act on and change nothing; bad rows are skipped, counted and explained.
/// </summary>
public sealed class BadUploadTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    private static readonly byte[] GoodExtended = File.ReadAllBytes(ImportHarness.Sample("Streaming_History_Audio_2023-2024_0.json"));

    public static TheoryData<string, string[]> FailingUploads => new()
    {
        { "empty.json", ["empty.json", "empty", "0 bytes"] },
        { "empty.zip", ["empty.zip", "empty", "0 bytes"] },
        { "truncated.json", ["ends early", "truncated"] },
        { "object.json", ["JSON object", "arrays"] },
        { "binary.png", ["binary.png is an image (PNG), not a Spotify history", "my_spotify_data.zip"] },
        { "not_history.json", ["not a Spotify streaming history"] },
        { "whitespace.json", ["empty"] },
        { "generated:deep.json", ["nests deeper than 16 levels"] },
        { "generated:bomb.zip", ["ZIP bomb"] },
        { "generated:big.zip", ["expands to more than 4 MB"] },
        { "generated:traversal.zip", ["unsafe path", "../evil.json", "refused"] },
        { "generated:nohistory.zip", ["no Spotify streaming history", "Streaming_History_Audio"] },
        { "generated:locked.zip", ["password-protected"] },
        { "generated:damaged.zip", ["damaged or incomplete"] },
        { "generated:scrambled.zip", ["damaged", "Streaming_History_Audio_2023-2024_0.json", "Download it from Spotify again"] },
        { "generated:altered.zip", ["damaged", "does not match its checksum", "Download it from Spotify again"] },
    };

    [Theory]
    [MemberData(nameof(FailingUploads))]
    public async Task A_broken_upload_fails_clearly_and_changes_nothing(string name, string[] keyWords)
    {
        // Small uncompressed limit for the big.zip case; the other limits stay at their defaults.
        await using var h = new ImportHarness(Db, readerOptions: new HistoryReaderOptions { MaxUncompressedBytes = 4 * 1024 * 1024 });
        var user = await UserWithHistoryAsync(h);
        var before = await h.SnapshotAsync(user);
        var (content, uploadedAs) = BadFile(name);

        var job = await h.ImportAsync(user, content, uploadedAs);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.NotNull(job.ErrorMessage);
        foreach (var word in keyWords)
        {
            Assert.Contains(word, job.ErrorMessage, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("error on our side", job.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, job.ImportedRows);
        Assert.Equal(0, job.AppliedRows);
        Assert.Null(job.StagedRows);
        Assert.NotNull(job.CompletedAt);
        Assert.Equal(before, await h.SnapshotAsync(user));
        await h.AssertVerifiedAsync(user);
        Assert.Equal(0, await h.StagingTablesLeftAsync());
        Assert.Empty(h.FilesInStore());
    }

    [Theory]
    [InlineData("[]", "Streaming_History_Video_2019-2025.json", "This history is empty")]
    [InlineData("""[{"endTime":"2024-01-02 10:00","podcastName":"Fake Talk","episodeName":"Episode 1","msPlayed":1200000}]""",
        "StreamingHistory_podcast_0.json", "None of the 1 rows is a song play (1 podcast")]
    public async Task A_history_without_song_plays_completes_says_why_nothing_changed_and_changes_nothing(string json, string name, string words)
    {
        var (h, user, before, job) = await ImportOverHistoryAsync(Encoding.UTF8.GetBytes(json), name);
        await using (h)
        {
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(0, job.ImportedRows);
            Assert.Contains(words, job.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("Streaming_History_Audio", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal(before, await h.TotalsAsync(user));
            await h.AssertVerifiedAsync(user);
        }
    }

    [Fact]
    public async Task Wrong_types_are_skipped_counted_and_explained_while_the_good_row_counts()
    {
        var (h, user, before, job) = await ImportOverHistoryAsync(File.ReadAllBytes(ImportHarness.Sample("Bad/wrong_types.json")), "wrong_types.json");
        await using (h)
        {
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(6, job.SkippedInvalid);
            Assert.Equal(1, job.ImportedRows);
            Assert.StartsWith("6 rows were skipped as invalid, for example: wrong_types.json row 1: ms_played is not a number; wrong_types.json row 2: ts is not a date", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal((before.Plays + 1, before.Ms + 214_000), await h.TotalsAsync(user));
            await h.AssertVerifiedAsync(user);
        }
    }

    [Fact]
    public async Task Dates_before_2006_or_in_the_future_are_skipped_and_the_first_day_counts()
    {
        var (h, user, before, job) = await ImportOverHistoryAsync(File.ReadAllBytes(ImportHarness.Sample("Bad/dates.json")), "dates.json");
        await using (h)
        {
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(2, job.SkippedInvalid);
            Assert.Equal(1, job.ImportedRows);
            Assert.Contains("before Spotify existed", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("in the future", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal((before.Plays + 1, before.Ms + 214_000), await h.TotalsAsync(user));
            await h.AssertVerifiedAsync(user);
        }
    }

    [Fact]
    public async Task Huge_strings_make_their_rows_invalid_without_stopping_the_file()
    {
        static string Row(string minute, string name, string extra = "") =>
            $$"""{"ts":"2023-05-01T10:{{minute}}:00Z","ms_played":100000,"master_metadata_track_name":"{{name}}","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"{{extra}}}""";
        var json = "[" + string.Join(",",
            Row("00", new string('x', 5000)),
            Row("05", "ok", $$""","ip_addr":"{{new string('y', 300_000)}}" """),
            Row("10", "fine"),
            Row("15", "also fine")) + "]";

        var (h, user, before, job) = await ImportOverHistoryAsync(Encoding.UTF8.GetBytes(json), "huge.json");
        await using (h)
        {
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(2, job.SkippedInvalid);
            Assert.Equal(2, job.ImportedRows);
            Assert.Contains("over 1024 characters", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal((before.Plays + 2, before.Ms + 200_000), await h.TotalsAsync(user));
            Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE length(name) > 1024"));
            await h.AssertVerifiedAsync(user);
        }
    }

    [Fact]
    public async Task Duplicate_rows_within_one_file_count_once()
    {
        var (h, user, before, job) = await ImportOverHistoryAsync(File.ReadAllBytes(ImportHarness.Sample("Bad/duplicates.json")), "duplicates.json");
        await using (h)
        {
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(3, job.StagedRows);
            Assert.Equal(2, job.ImportedRows);
            Assert.Equal(1, job.DuplicateRows);
            Assert.Null(job.ErrorMessage);
            Assert.Equal((before.Plays + 2, before.Ms + 428_000), await h.TotalsAsync(user));
            await h.AssertVerifiedAsync(user);
        }
    }

    [Fact]
    public async Task A_mix_of_valid_and_invalid_rows_imports_the_valid_and_counts_the_rest_by_reason()
    {
        var (h, user, before, job) = await ImportOverHistoryAsync(File.ReadAllBytes(ImportHarness.Sample("Bad/mixed.json")), "mixed.json");
        await using (h)
        {
            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(8, job.TotalRows);
            Assert.Equal(2, job.ImportedRows);
            Assert.Equal(4, job.SkippedInvalid);
            Assert.Equal(1, job.SkippedZeroMs);
            Assert.Equal(1, job.SkippedNonMusic);
            Assert.StartsWith("4 rows were skipped as invalid, for example: mixed.json row 2: ts is missing; mixed.json row 3: the row is not a JSON object; mixed.json row 4:", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal((before.Plays + 2, before.Ms + 214_000 + 99_000), await h.TotalsAsync(user));
            await h.AssertVerifiedAsync(user);
            Assert.Equal(0, await h.StagingTablesLeftAsync());
            Assert.Empty(h.FilesInStore());
        }
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_refused_while_streaming_and_leaves_nothing()
    {
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:MaxUploadBytes"] = "2048" });
        var user = await TestUsers.CreateAsync(Db);
        Assert.True(GoodExtended.Length > 2048);

        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.StoreAsync(user, GoodExtended, "Streaming_History_Audio_2023.json"));

        Assert.Equal("Streaming_History_Audio_2023.json is larger than the upload limit of 2 KB. Upload the ZIP Spotify sent, or its JSON files one by one.", ex.Message);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
        Assert.Empty(h.FilesInStore());

        // At the limit exactly, the upload is taken.
        var exact = GoodExtended[..2048];
        var job = await h.StoreAsync(user, exact, "cut.json");
        Assert.Equal(2048, job.FileSize);
        Assert.Single(h.FilesInStore());
    }

    private async Task<(ImportHarness H, long User, (long Plays, long Ms) Before, ImportJob Job)> ImportOverHistoryAsync(byte[] content, string name)
    {
        var h = new ImportHarness(Db);
        var user = await UserWithHistoryAsync(h);
        var before = await h.TotalsAsync(user);
        var job = await h.ImportAsync(user, content, name);
        return (h, user, before, job);
    }

    /// <summary>A user who already imported a generated history (years 2020–2022, so the corpus' 2023 plays are new).</summary>
    private async Task<long> UserWithHistoryAsync(ImportHarness h)
    {
        var user = await TestUsers.CreateAsync(Db, "Europe/Berlin");
        var generator = new HistoryGenerator(new HistoryGeneratorOptions { Plays = 3_000, Seed = 3, Years = 2, LastDay = new DateOnly(2022, 12, 31) });
        using var zip = new MemoryStream();
        var expected = generator.WriteZip(zip);
        var job = await h.ImportAsync(user, zip.ToArray(), "my_spotify_data.zip");
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        return user;
    }

    private static (byte[] Content, string Name) BadFile(string name)
    {
        if (!name.StartsWith("generated:", StringComparison.Ordinal))
        {
            return (File.ReadAllBytes(ImportHarness.Sample(Path.Combine("Bad", name))), name);
        }

        name = name["generated:".Length..];
        var bytes = name switch
        {
            "deep.json" => Encoding.UTF8.GetBytes("[" + new string('[', 5000) + new string(']', 5000) + "]"),
            "bomb.zip" => Zip(("Streaming_History_Audio_2023_0.json", Spaces(8 * 1024 * 1024))),
            // Under the ratio check (random-ish content), over the 4 MB uncompressed limit.
            "big.zip" => Zip(("Streaming_History_Audio_2023_0.json", GoodExtended), ("Streaming_History_Audio_2024_1.json", Noise(5 * 1024 * 1024))),
            "traversal.zip" => Zip(("Streaming_History_Audio_2023-2024_0.json", GoodExtended), ("../evil.json", GoodExtended)),
            "nohistory.zip" => Zip(("MyData/Userdata.json", """{"username":"fake-user"}"""u8.ToArray()), ("MyData/Read_Me_First.pdf", "%PDF"u8.ToArray())),
            "locked.zip" => MarkEncrypted(Zip(("Streaming_History_Audio_2023-2024_0.json", GoodExtended))),
            "damaged.zip" => Zip(("Streaming_History_Audio_2023-2024_0.json", GoodExtended))[..200],
            "scrambled.zip" => Scrambled(Zip(("Streaming_History_Audio_2023-2024_0.json", GoodExtended))),
            "altered.zip" => Altered(Zip(CompressionLevel.NoCompression, ("Streaming_History_Audio_2023-2024_0.json", GoodExtended))),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        return (bytes, name);
    }

    /// <summary>The entry's compressed bytes garbled after its local header, as by a broken download.</summary>
    private static byte[] Scrambled(byte[] zip)
    {
        for (var i = 90; i < 130; i++)
        {
            zip[i] ^= 0x5A;
        }

        return zip;
    }

    /// <summary>A stored entry's last ms_played raised by one in its last digit: still JSON, no longer what was zipped.</summary>
    private static byte[] Altered(byte[] zip)
    {
        var at = zip.AsSpan().LastIndexOf("\"ms_played\":"u8) + "\"ms_played\":".Length;
        while (zip[at + 1] is >= (byte)'0' and <= (byte)'9')
        {
            at++;
        }

        zip[at] = (byte)(zip[at] == '9' ? '8' : zip[at] + 1);
        return zip;
    }

    private static byte[] Spaces(int length)
    {
        var big = new byte[length];
        big.AsSpan().Fill((byte)' ');
        big[0] = (byte)'[';
        big[^1] = (byte)']';
        return big;
    }

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries) => Zip(CompressionLevel.Optimal, entries);

    private static byte[] Zip(CompressionLevel level, params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                using var entry = zip.CreateEntry(entryName, level).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Sets the "encrypted" flag in every local and central header, as a password-protected ZIP has.</summary>
    private static byte[] MarkEncrypted(byte[] zip)
    {
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4)
            {
                zip[i + 6] |= 1;
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2)
            {
                zip[i + 8] |= 1;
            }
        }

        return zip;
    }
}
