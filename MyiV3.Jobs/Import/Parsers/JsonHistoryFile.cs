using System.Runtime.CompilerServices;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>One JSON history file (a whole upload or one ZIP entry): recognises its format from its first row, then judges every row.</summary>
internal sealed class JsonHistoryFile(JsonRowStream json, string source, HistoryReaderOptions options, DateTimeOffset latestPlay, bool insideZip)
{
    /// <summary>True once the first row showed this is a history file (inside a ZIP, other JSON files are passed over).</summary>
    public bool IsHistory { get; private set; }

    private RowJudge? _judge;
    private long _rowNumber, _plays, _nonMusic, _zeroMs, _invalid;

    /// <summary>
    /// The file's rows in the batches they are parsed in. The list is reused: each batch is valid
    /// until the next is asked for.
    /// </summary>
    public async IAsyncEnumerable<List<ParsedRow>> ReadBatchesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var start = await json.StartAsync(ct);
        if (start != JsonStart.Array)
        {
            if (insideZip)
            {
                yield break;
            }

            throw new HistoryFormatException(start switch
            {
                JsonStart.Empty or JsonStart.OnlyWhitespace => $"The file {source} is empty.",
                JsonStart.Object => $"The file {source} is a JSON object; Spotify history files are JSON arrays (files like Streaming_History_Audio_2023.json or StreamingHistory_music_0.json). Userdata.json, Playlist1.json and the like hold no listening history.",
                JsonStart.OtherValue => $"The file {source} is a single JSON value; Spotify history files are JSON arrays of rows.",
                _ => $"The file {source} is not JSON or a ZIP. Upload my_spotify_data.zip as Spotify sent it, or the Streaming_History_*.json / StreamingHistory*.json files inside it.",
            });
        }

        var batch = new List<ParsedRow>();
        HistoryFormat format = default;
        while (await json.ReadBatchAsync(ct))
        {
            if (_judge is null)
            {
                if (Detect(json.Rows[0]) is not { } detected)
                {
                    if (insideZip)
                    {
                        yield break;
                    }

                    throw new HistoryFormatException(
                        $"The file {source} is a JSON array but not a Spotify streaming history: its first row has none of the fields ts, ms_played, endTime, msPlayed.");
                }

                format = detected;
                _judge = new RowJudge(format, source, options, latestPlay);
                IsHistory = true;
            }

            JudgeAll(json.Rows, batch);
            yield return batch;
        }

        if (_judge is not null)
        {
            options.FileCompleted?.Invoke(new HistoryFileSummary(source, format, _rowNumber, _plays, _nonMusic, _zeroMs, _invalid));
        }
        else
        {
            // An empty array: a history file with no rows (Spotify writes these), or in a ZIP some empty list.
            IsHistory = LooksLikeHistoryName(source);
        }
    }

    private void JudgeAll(ReadOnlySpan<RawRow> rows, List<ParsedRow> batch)
    {
        batch.Clear();
        var judge = _judge!;
        foreach (ref readonly var raw in rows)
        {
            var parsed = judge.Judge(raw, ++_rowNumber);
            switch (parsed.Skip)
            {
                case null:
                    _plays++;
                    break;
                case SkipReason.NonMusic:
                    _nonMusic++;
                    break;
                case SkipReason.ZeroMs:
                    _zeroMs++;
                    break;
                default:
                    _invalid++;
                    break;
            }

            batch.Add(parsed);
        }
    }

    private HistoryFormat? Detect(in RawRow first)
    {
        var present = first.Present;
        // An uploaded file is judged row by row once any history field shows (its bad rows are reported).
        // Beside the history in a ZIP, other exports' JSON (the technical log, for one) may time its rows
        // with a ts of their own: there a file unnamed as history must show both ts and ms_played.
        const RowFields Timed = RowFields.Ts | RowFields.MsPlayed;
        var extended = insideZip && !LooksLikeHistoryName(source)
            ? (present & Timed) == Timed
            : (present & (Timed | RowFields.TrackUri)) != 0;
        if (extended)
        {
            return IsVideoFile(source) ? HistoryFormat.ExtendedVideoHistory : HistoryFormat.ExtendedStreamingHistory;
        }

        if ((present & (RowFields.EndTime | RowFields.AccountMsPlayed)) != 0)
        {
            if ((present & (RowFields.ArtistName | RowFields.AccountTrackName)) != 0)
            {
                return HistoryFormat.AccountDataMusic;
            }

            if ((present & (RowFields.PodcastName | RowFields.EpisodeName)) != 0)
            {
                return HistoryFormat.AccountDataPodcast;
            }
        }

        return null;
    }

    /// <summary>Video rows look like audio rows with a null track URI; the file name is the only thing that says "video".</summary>
    internal static bool IsVideoFile(string source) =>
        FileName(source).StartsWith("Streaming_History_Video", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The last segment of an upload or ZIP entry name, whichever slash separates folders: ZIPs made on Windows
    /// may use <c>\</c>, which <see cref="Path.GetFileName(string)"/> does not split on outside Windows.
    /// </summary>
    internal static string FileName(string source) => source[(source.LastIndexOfAny(['/', '\\']) + 1)..];

    internal static bool LooksLikeHistoryName(string source)
    {
        var name = FileName(source);
        return name.StartsWith("Streaming_History", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("StreamingHistory", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("endsong", StringComparison.OrdinalIgnoreCase);
    }
}
