using Microsoft.Extensions.Time.Testing;
using MyiV3.Jobs.Import.Parsers;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>Reads uploads the way the import job will, with the clock fixed so "the future" is stable.</summary>
internal static class ParserTestKit
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Samples", "History", name);

    public static HistoryReader Reader() => new(new FakeTimeProvider(Now));

    /// <summary>Every field of a row as one line, for comparing whole readings.</summary>
    public static string Describe(ParsedRow row) => row.Play is { } p
        ? $"{row.Source}#{row.Row} {p.PlayedAt:O} {p.MsPlayed} {p.TrackSpotifyId} {p.TrackName} {string.Join('|', p.Artists)} {p.AlbumName} {p.Skipped} {p.Shuffle} {p.ReasonStart} {p.ReasonEnd} {p.Platform} {p.ConnCountry} {p.Offline} {p.Incognito}"
        : $"{row.Source}#{row.Row} {row.Skip} {row.Detail}";

    public static async Task<List<ParsedRow>> ReadAsync(Stream upload, string fileName, HistoryReaderOptions? options = null)
    {
        var rows = new List<ParsedRow>();
        await foreach (var row in Reader().ReadAsync(upload, fileName, options, TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static async Task<List<ParsedRow>> ReadFileAsync(string path, string? uploadedAs = null, HistoryReaderOptions? options = null)
    {
        await using var file = File.OpenRead(path);
        return await ReadAsync(file, uploadedAs ?? Path.GetFileName(path), options);
    }

    public static async Task<HistoryFormatException> FailsAsync(string path, HistoryReaderOptions? options = null) =>
        await Assert.ThrowsAsync<HistoryFormatException>(() => ReadFileAsync(path, options: options));

    public static async Task<HistoryFormatException> FailsAsync(Stream upload, string name, HistoryReaderOptions? options = null) =>
        await Assert.ThrowsAsync<HistoryFormatException>(() => ReadAsync(upload, name, options));

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "myiv3-parsers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
