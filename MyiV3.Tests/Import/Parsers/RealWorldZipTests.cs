using System.IO.Compression;
using System.Text;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>
/// ZIPs laid out as Spotify sends them (extended history; account data with all its side files; the older
/// <c>MyData/</c> folder), and as they come back after a person unpacked and re-packed them (an extra top folder,
/// macOS <c>__MACOSX</c> and <c>.DS_Store</c> entries, Windows backslashes).
/// </summary>
public sealed class RealWorldZipTests
{
    private const string ExtendedFolder = "Spotify Extended Streaming History/";
    private const string AccountFolder = "Spotify Account Data/";

    /// <summary>The JSON files an account-data export holds beside the streaming history (fake content, real shapes).</summary>
    private static readonly (string Name, string Json)[] AccountSideFiles =
    [
        ("Userdata.json", """{"username":"fake-user-77","email":"fake@example.invalid","country":"SE","createdFromFacebook":false,"facebookUid":null,"birthdate":"1990-01-01","gender":"neutral","postalCode":null,"mobileNumber":null,"mobileOperator":null,"mobileBrand":null,"creationTime":"2016-05-01"}"""),
        ("Identity.json", """{"displayName":"Fake","firstName":"","lastName":"","tasteMaker":false,"imageUrl":"","largeImageUrl":"","isVerified":false}"""),
        ("Playlist1.json", """{"playlists":[{"name":"Fake","lastModifiedDate":"2024-01-01","items":[{"track":{"trackName":"T","artistName":"A","albumName":"B","trackUri":"spotify:track:7ouMYWpwJ422jRcDASZB7P"},"episode":null,"audiobook":null,"localTrack":null,"addedDate":"2024-01-01"}],"description":null,"numberOfFollowers":0}]}"""),
        ("YourLibrary.json", """{"tracks":[{"artist":"A","album":"B","track":"T","uri":"spotify:track:7ouMYWpwJ422jRcDASZB7P"}],"albums":[],"shows":[],"episodes":[],"bannedTracks":[],"artists":[],"bannedArtists":[],"other":[]}"""),
        ("SearchQueries.json", """[{"platform":"ANDROID","searchTime":"2024-01-01T10:00:00.000Z[UTC]","searchQuery":"fake","searchInteractionURIs":["spotify:track:7ouMYWpwJ422jRcDASZB7P"]}]"""),
        ("Inferences.json", """{"inferences":["1P_Custom_Fake_Segment","3P_Fake_Interest"]}"""),
        ("Marquee.json", """[{"artistName":"Fake Artist","segment":"Previously Active Listeners"}]"""),
        ("Follow.json", """{"followerCount":0,"followingUsersCount":0,"dismissingUsersCount":0}"""),
        ("Payments.json", """{"payment_method":"Fake Card","creation_date":"2020-01-01","country":"SE","postal_code":null}"""),
        ("Wrapped2024.json", """{"topArtists":{"topArtists":[]},"yearlyMetrics":{"totalMsListened":1}}"""),
    ];

    private static readonly byte[] ReadMePdf = "%PDF-1.7\n%fake read-me\n"u8.ToArray();

    /// <summary>What macOS puts in <c>__MACOSX/…/._name</c>: an AppleDouble header, binary.</summary>
    private static readonly byte[] AppleDouble = [0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00, .. "Mac OS X        "u8.ToArray()];

    private static byte[] RealWorld(string name) => File.ReadAllBytes(Sample(Path.Combine("RealWorld", name)));

    private static byte[] Root(string name) => File.ReadAllBytes(Sample(name));

    private static MemoryStream Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static IEnumerable<(string, byte[])> AccountSide(string folder) =>
        AccountSideFiles.Select(f => (folder + f.Name, Encoding.UTF8.GetBytes(f.Json)));

    [Theory]
    [InlineData(ExtendedFolder)]
    [InlineData("my_spotify_data/" + ExtendedFolder)]
    [InlineData("")]
    public async Task An_extended_history_zip_reads_every_audio_file_and_passes_over_the_read_me_and_empty_video_file(string folder)
    {
        using var zip = Zip(
        [
            .. folder.Length > 0 ? [(folder, Array.Empty<byte>())] : Array.Empty<(string, byte[])>(),
            (folder + "ReadMeFirst_ExtendedStreamingHistory.pdf", ReadMePdf),
            (folder + "Streaming_History_Audio_2016-2020_0.json", RealWorld("endsong_1.json")),
            (folder + "Streaming_History_Audio_2024-2025_3.json", RealWorld("Streaming_History_Audio_2024-2025_3.json")),
            (folder + "Streaming_History_Video_2019-2025.json", "[]"u8.ToArray()),
        ]);
        var summaries = new List<HistoryFileSummary>();

        var rows = await ReadAsync(zip, "my_spotify_data.zip", new HistoryReaderOptions { FileCompleted = summaries.Add });

        Assert.Equal(
            [
                new HistoryFileSummary(folder + "Streaming_History_Audio_2016-2020_0.json", HistoryFormat.ExtendedStreamingHistory, 2, 2, 0, 0, 0),
                new HistoryFileSummary(folder + "Streaming_History_Audio_2024-2025_3.json", HistoryFormat.ExtendedStreamingHistory, 6, 2, 3, 1, 0),
            ],
            summaries);
        Assert.Equal(["Close Enough", "Fake Marble", "Fake Sunrise 🌅 (Réédition)", "Señor Static"], rows.Where(r => r.IsPlay).Select(r => r.Play!.TrackName));
    }

    [Fact]
    public async Task An_account_data_zip_with_every_side_file_reads_only_the_music_and_podcast_history()
    {
        using var zip = Zip(
        [
            (AccountFolder, []),
            (AccountFolder + "Read_Me_First.pdf", ReadMePdf),
            .. AccountSide(AccountFolder),
            (AccountFolder + "StreamingHistory_podcast_0.json", Root("StreamingHistory_podcast_0.json")),
            (AccountFolder + "StreamingHistory_music_0.json", RealWorld("StreamingHistory_music_0.json")),
        ]);
        var summaries = new List<HistoryFileSummary>();

        var rows = await ReadAsync(zip, "my_spotify_data.zip", new HistoryReaderOptions { FileCompleted = summaries.Add });

        Assert.Equal(
            [
                new HistoryFileSummary(AccountFolder + "StreamingHistory_podcast_0.json", HistoryFormat.AccountDataPodcast, 1, 0, 1, 0, 0),
                new HistoryFileSummary(AccountFolder + "StreamingHistory_music_0.json", HistoryFormat.AccountDataMusic, 4, 3, 0, 1, 0),
            ],
            summaries);
        Assert.Equal(3, rows.Count(r => r.IsPlay));
        Assert.DoesNotContain(rows, r => r.Skip == SkipReason.Invalid);
    }

    [Fact]
    public async Task An_older_MyData_zip_repacked_on_a_mac_reads_only_the_history_files()
    {
        using var zip = Zip(
        [
            ("MyData/Read_Me_First.pdf", ReadMePdf),
            ("MyData/.DS_Store", [0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31]),
            ("MyData/StreamingHistory0.json", Root("StreamingHistory0.json")),
            ("MyData/StreamingHistory1.json", "[]"u8.ToArray()),
            .. AccountSide("MyData/"),
            ("__MACOSX/MyData/._StreamingHistory0.json", AppleDouble),
            ("__MACOSX/MyData/._Userdata.json", AppleDouble),
        ]);

        var rows = await ReadAsync(zip, "my_spotify_data.zip");

        var row = Assert.Single(rows);
        Assert.Equal("MyData/StreamingHistory0.json", row.Source);
        Assert.Equal("Straße", row.Play!.TrackName);
    }

    [Fact]
    public async Task A_zip_packed_on_windows_with_backslashes_still_knows_its_video_history()
    {
        using var zip = Zip(
        [
            ("Spotify Extended Streaming History\\Streaming_History_Audio_2024-2025_3.json", RealWorld("Streaming_History_Audio_2024-2025_3.json")),
            ("Spotify Extended Streaming History\\Streaming_History_Video_2024-2025.json", RealWorld("Streaming_History_Audio_2024-2025_3.json")),
        ]);

        var rows = await ReadAsync(zip, "my_spotify_data.zip");

        var video = rows.Where(r => r.Source.EndsWith("Video_2024-2025.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, video.Count);
        Assert.All(video, r => Assert.Equal((HistoryFormat.ExtendedVideoHistory, SkipReason.NonMusic), (r.Format, r.Skip!.Value)));
        Assert.Equal(2, rows.Count(r => r.IsPlay));
    }

    [Theory]
    [InlineData(AccountFolder)]
    [InlineData("MyData/")]
    public async Task A_zip_of_only_account_side_files_is_refused_with_what_was_expected(string folder)
    {
        using var zip = Zip([(folder + "Read_Me_First.pdf", ReadMePdf), .. AccountSide(folder), ("__MACOSX/" + folder + "._Userdata.json", AppleDouble)]);

        var ex = await FailsAsync(zip, "my_spotify_data.zip");

        Assert.Equal("The ZIP contains no Spotify streaming history (expected files like Streaming_History_Audio_2023.json, endsong_0.json or StreamingHistory_music_0.json).", ex.Message);
    }

    [Fact]
    public async Task Event_logs_timed_with_ts_beside_the_history_are_passed_over_not_read_as_bad_plays()
    {
        // Shaped like another export's event log: rows with a ts of their own, no ms_played.
        var events = """[{"ts":"2024-03-01T10:00:00Z","event_type":"connect","device":"Fake Speaker"},{"ts":"2024-03-01T10:05:00Z","event_type":"disconnect"}]"""u8.ToArray();
        const string Folder = "Spotify Technical Log Information/";

        var onlyLogs = await FailsAsync(Zip([(Folder + "ConnectionEvents.json", events)]), "my_spotify_data.zip");
        Assert.StartsWith("The ZIP contains no Spotify streaming history", onlyLogs.Message, StringComparison.Ordinal);

        using var mixed = Zip([(Folder + "ConnectionEvents.json", events), ("Spotify Extended Streaming History/Streaming_History_Audio_2024-2025_3.json", RealWorld("Streaming_History_Audio_2024-2025_3.json"))]);
        var rows = await ReadAsync(mixed, "my_spotify_data.zip");
        Assert.DoesNotContain(rows, r => r.Skip == SkipReason.Invalid);
        Assert.Equal(2, rows.Count(r => r.IsPlay));
    }

    [Fact]
    public async Task Each_account_side_file_uploaded_alone_is_refused_as_not_a_history()
    {
        foreach (var (name, json) in AccountSideFiles)
        {
            var ex = await FailsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), name);

            Assert.True(
                ex.Message.StartsWith($"The file {name} is a JSON object; Spotify history files are JSON arrays", StringComparison.Ordinal)
                || ex.Message.StartsWith($"The file {name} is a JSON array but not a Spotify streaming history", StringComparison.Ordinal),
                ex.Message);
        }
    }
}
