using System.Text.Json;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>IP address, user agent and username are read past, never kept.</summary>
public sealed class PersonalDataTests
{
    [Fact]
    public void A_play_record_has_no_place_for_personal_data()
    {
        var names = typeof(PlayRecord).GetProperties().Select(p => p.Name.ToUpperInvariant());

        Assert.DoesNotContain(names, n => n is "IP" or "USER" || n.Contains("IPADDR", StringComparison.Ordinal) || n.Contains("AGENT", StringComparison.Ordinal) || n.Contains("USERNAME", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("endsong_0.json", new[] { "203.0.113.77", "FakeAgent", "fake-endsong-user" })]
    [InlineData("Streaming_History_Audio_2023-2024_0.json", new[] { "198.51.100.23" })]
    [InlineData("RealWorld/endsong_0.json", new[] { "203.0.113.41", "fake-2020-user" })]
    [InlineData("RealWorld/endsong_1.json", new[] { "203.0.113.42", "fake-2021-user", "Mozilla%2F5.0", "Fakeborough" })]
    [InlineData("RealWorld/Streaming_History_Audio_2024-2025_3.json", new[] { "2001:db8::5", "203.0.113.x" })]
    public async Task No_parsed_row_carries_the_ip_address_user_agent_or_username(string sample, string[] secrets)
    {
        var rows = await ReadFileAsync(Sample(sample));
        var text = await File.ReadAllTextAsync(Sample(sample), TestContext.Current.CancellationToken);
        Assert.All(secrets, s => Assert.Contains(s, text, StringComparison.Ordinal));

        var serialized = JsonSerializer.Serialize(rows.Select(r => new { r.Play, r.Skip, r.Detail, r.Source, r.Format }));

        Assert.Contains(rows, r => r.IsPlay);
        Assert.All(secrets, s => Assert.DoesNotContain(s, serialized, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_generated_legacy_export_full_of_fake_personal_data_leaves_none_in_the_plays()
    {
        var options = new HistoryGeneratorOptions { Plays = 500, UserName = "fake-user-zz9", Seed = 11 };
        using var zip = new MemoryStream();
        new HistoryGenerator(options).WriteZip(zip, GeneratedLayout.Endsong);
        zip.Position = 0;

        var rows = await ReadAsync(zip, "my_spotify_data.zip");
        var serialized = JsonSerializer.Serialize(rows.Select(r => r.Play));

        Assert.Equal(500, rows.Count(r => r.IsPlay));
        Assert.DoesNotContain("fake-user-zz9", serialized, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.", serialized, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", serialized, StringComparison.Ordinal);
    }
}
