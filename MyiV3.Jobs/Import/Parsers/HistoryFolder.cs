namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// The history files of an export already unpacked into a folder (macOS unpacks a downloaded ZIP by itself):
/// every file below it named like history (<c>Streaming_History*</c>, <c>StreamingHistory*</c>, <c>endsong*</c>)
/// and every ZIP, in path order. The side files (<c>Userdata.json</c>, the read-me PDF, …) are passed over by
/// name here, as a ZIP passes them over by content, so that each does not become a failed import of its own.
/// </summary>
public static class HistoryFolder
{
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(IsHistoryCandidate)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsHistoryCandidate(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith("._", StringComparison.Ordinal))
        {
            return false; // macOS resource forks beside the real files
        }

        return name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            || (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && JsonHistoryFile.LooksLikeHistoryName(name));
    }
}
