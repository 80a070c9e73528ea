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

    /// <summary>
    /// Adds one row. Writes go to Npgsql's buffer synchronously (a flush blocks only when the buffer
    /// is full): an await per field costs more than the field itself at hundreds of thousands of rows.
    /// </summary>
    public Task WriteAsync(PlayRecord p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        ct.ThrowIfCancellationRequested();
        var i = _importer;
        i.StartRow();
        i.Write(p.PlayedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        i.Write(p.MsPlayed, NpgsqlDbType.Integer);
        i.Write(CatalogKeys.Track(p), NpgsqlDbType.Text);
        i.Write(p.TrackName, NpgsqlDbType.Text);
        Text(CatalogKeys.Album(p));
        Text(p.AlbumName);
        var names = new string[p.Artists.Count];
        var keys = new string[p.Artists.Count];
        for (var a = 0; a < names.Length; a++)
        {
            names[a] = p.Artists[a].Name;
            keys[a] = CatalogKeys.Artist(p.Artists[a]);
        }

        i.Write(names, NpgsqlDbType.Array | NpgsqlDbType.Text);
        i.Write(keys, NpgsqlDbType.Array | NpgsqlDbType.Text);
        Nullable(p.TrackDurationMs, NpgsqlDbType.Integer);
        Nullable(p.Skipped, NpgsqlDbType.Boolean);
        Nullable(p.Shuffle, NpgsqlDbType.Boolean);
        Text(p.ReasonStart);
        Text(p.ReasonEnd);
        Text(p.Platform);
        Text(p.ConnCountry);
        Nullable(p.Offline, NpgsqlDbType.Boolean);
        Nullable(p.Incognito, NpgsqlDbType.Boolean);
        Rows++;
        return Task.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken ct) => await _importer.CompleteAsync(ct);

    /// <summary>Without <see cref="CompleteAsync"/>, disposing cancels the COPY: nothing is kept.</summary>
    public ValueTask DisposeAsync() => _importer.DisposeAsync();

    private void Text(string? value)
    {
        if (value is null)
        {
            _importer.WriteNull();
        }
        else
        {
            _importer.Write(value, NpgsqlDbType.Text);
        }
    }

    private void Nullable<T>(T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            _importer.Write(v, type);
        }
        else
        {
            _importer.WriteNull();
        }
    }
}
