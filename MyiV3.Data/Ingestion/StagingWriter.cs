using Npgsql;
using NpgsqlTypes;

namespace MyiV3.Data.Ingestion;

/// <summary>Binary COPY of a batch into the connection's staging table.</summary>
internal static class StagingWriter
{
    private const string Copy = """
        COPY ingest_stage (played_at, ms_played, track_sid, track_name, album_sid, album_name, artist_names, artist_sids,
                           duration_ms, skipped, shuffle, reason_start, reason_end, platform, conn_country, offline, incognito)
        FROM STDIN (FORMAT BINARY)
        """;

    public static async Task WriteAsync(NpgsqlConnection conn, IReadOnlyList<PlayRecord> plays, CancellationToken ct)
    {
        await using var importer = await conn.BeginBinaryImportAsync(Copy, ct);
        foreach (var p in plays)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(p.PlayedAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(p.MsPlayed, NpgsqlDbType.Integer, ct);
            await WriteTextAsync(importer, p.TrackSpotifyId, ct);
            await importer.WriteAsync(p.TrackName, NpgsqlDbType.Text, ct);
            await WriteTextAsync(importer, p.AlbumSpotifyId, ct);
            await WriteTextAsync(importer, p.AlbumName, ct);
            var names = new string[p.Artists.Count];
            var ids = new string?[p.Artists.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = p.Artists[i].Name;
                ids[i] = p.Artists[i].SpotifyId;
            }

            await importer.WriteAsync(names, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await importer.WriteAsync(ids, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await WriteNullableAsync(importer, p.TrackDurationMs, NpgsqlDbType.Integer, ct);
            await WriteNullableAsync(importer, p.Skipped, NpgsqlDbType.Boolean, ct);
            await WriteNullableAsync(importer, p.Shuffle, NpgsqlDbType.Boolean, ct);
            await WriteTextAsync(importer, p.ReasonStart, ct);
            await WriteTextAsync(importer, p.ReasonEnd, ct);
            await WriteTextAsync(importer, p.Platform, ct);
            await WriteTextAsync(importer, p.ConnCountry, ct);
            await WriteNullableAsync(importer, p.Offline, NpgsqlDbType.Boolean, ct);
            await WriteNullableAsync(importer, p.Incognito, NpgsqlDbType.Boolean, ct);
        }

        await importer.CompleteAsync(ct);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken ct) =>
        value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, ct) : importer.WriteNullAsync(ct);
}
