using Npgsql;
using NpgsqlTypes;

namespace MyiV3.Data.Ingestion;

/// <summary>Binary COPY of plays into a staging table (<see cref="StageTable"/> columns).</summary>
public sealed class StagingWriter : IAsyncDisposable
{
    private readonly NpgsqlBinaryImporter _importer;

    private StagingWriter(NpgsqlBinaryImporter importer) => _importer = importer;

    public long Rows { get; private set; }

    internal static async Task<StagingWriter> BeginAsync(NpgsqlConnection conn, string table, CancellationToken ct) =>
        new(await conn.BeginBinaryImportAsync($"COPY {table} ({StageTable.ColumnNames}) FROM STDIN (FORMAT BINARY)", ct));

    internal static async Task WriteAllAsync(NpgsqlConnection conn, string table, IReadOnlyList<PlayRecord> plays, CancellationToken ct)
    {
        await using var writer = await BeginAsync(conn, table, ct);
        foreach (var p in plays)
        {
            await writer.WriteAsync(p, ct);
        }

        await writer.CompleteAsync(ct);
    }

    public async Task WriteAsync(PlayRecord p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        var i = _importer;
        await i.StartRowAsync(ct);
        await i.WriteAsync(p.PlayedAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
        await i.WriteAsync(p.MsPlayed, NpgsqlDbType.Integer, ct);
        await i.WriteAsync(CatalogKeys.Track(p), NpgsqlDbType.Text, ct);
        await i.WriteAsync(p.TrackName, NpgsqlDbType.Text, ct);
        await TextAsync(CatalogKeys.Album(p), ct);
        await TextAsync(p.AlbumName, ct);
        var names = new string[p.Artists.Count];
        var keys = new string[p.Artists.Count];
        for (var a = 0; a < names.Length; a++)
        {
            names[a] = p.Artists[a].Name;
            keys[a] = CatalogKeys.Artist(p.Artists[a]);
        }

        await i.WriteAsync(names, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await i.WriteAsync(keys, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await NullableAsync(p.TrackDurationMs, NpgsqlDbType.Integer, ct);
        await NullableAsync(p.Skipped, NpgsqlDbType.Boolean, ct);
        await NullableAsync(p.Shuffle, NpgsqlDbType.Boolean, ct);
        await TextAsync(p.ReasonStart, ct);
        await TextAsync(p.ReasonEnd, ct);
        await TextAsync(p.Platform, ct);
        await TextAsync(p.ConnCountry, ct);
        await NullableAsync(p.Offline, NpgsqlDbType.Boolean, ct);
        await NullableAsync(p.Incognito, NpgsqlDbType.Boolean, ct);
        Rows++;
    }

    public async Task CompleteAsync(CancellationToken ct) => await _importer.CompleteAsync(ct);

    /// <summary>Without <see cref="CompleteAsync"/>, disposing cancels the COPY: nothing is kept.</summary>
    public ValueTask DisposeAsync() => _importer.DisposeAsync();

    private Task TextAsync(string? value, CancellationToken ct) =>
        value is null ? _importer.WriteNullAsync(ct) : _importer.WriteAsync(value, NpgsqlDbType.Text, ct);

    private Task NullableAsync<T>(T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? _importer.WriteAsync(v, type, ct) : _importer.WriteNullAsync(ct);
}
