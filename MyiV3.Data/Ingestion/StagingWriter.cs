using Npgsql;
using NpgsqlTypes;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// Binary COPY of plays into a staging table (<see cref="StageTable"/> columns), and of their
/// distinct tracks into its tracks table when the rows are complete. Each play row carries its
/// place in the input (<c>ord</c>, from 1) and the number of its track; a track's names and catalog
/// keys are computed and written once, however often it was played.
/// </summary>
public sealed class StagingWriter : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private readonly string _tracksTable;
    private readonly Dictionary<string, StagedTrack> _byKey = new(StringComparer.Ordinal);
    private readonly List<StagedTrack> _tracks = [];
    private NpgsqlBinaryImporter? _rows;

    private StagingWriter(NpgsqlConnection conn, string tracksTable, NpgsqlBinaryImporter rows)
    {
        _conn = conn;
        _tracksTable = tracksTable;
        _rows = rows;
    }

    public long Rows { get; private set; }

    public int Tracks => _tracks.Count;

    internal static async Task<StagingWriter> BeginAsync(NpgsqlConnection conn, string rowsTable, string tracksTable, CancellationToken ct) =>
        new(conn, tracksTable, await conn.BeginBinaryImportAsync($"COPY {rowsTable} ({StageTable.ColumnNames}) FROM STDIN (FORMAT BINARY)", ct));

    internal static async Task WriteAllAsync(NpgsqlConnection conn, string rowsTable, string tracksTable, IReadOnlyList<PlayRecord> plays, CancellationToken ct)
    {
        await using var writer = await BeginAsync(conn, rowsTable, tracksTable, ct);
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
        var i = _rows ?? throw new InvalidOperationException("The staged rows are complete.");
        var track = TrackOf(p);
        i.StartRow();
        i.Write(++Rows, NpgsqlDbType.Bigint);
        i.Write(p.PlayedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        i.Write(p.MsPlayed, NpgsqlDbType.Integer);
        i.Write(track.No, NpgsqlDbType.Integer);
        Nullable(i, p.Skipped, NpgsqlDbType.Boolean);
        Nullable(i, p.Shuffle, NpgsqlDbType.Boolean);
        Text(i, p.ReasonStart);
        Text(i, p.ReasonEnd);
        Text(i, p.Platform);
        Text(i, p.ConnCountry);
        Nullable(i, p.Offline, NpgsqlDbType.Boolean);
        Nullable(i, p.Incognito, NpgsqlDbType.Boolean);
        return Task.CompletedTask;
    }

    /// <summary>Ends the rows' COPY, then writes the distinct tracks in the order they were first seen.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        var rows = _rows ?? throw new InvalidOperationException("The staged rows are complete.");
        await rows.CompleteAsync(ct);
        await rows.DisposeAsync();
        _rows = null;

        await using var t = await _conn.BeginBinaryImportAsync($"COPY {_tracksTable} ({StageTable.TrackColumnNames}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var track in _tracks)
        {
            t.StartRow();
            t.Write(track.No, NpgsqlDbType.Integer);
            t.Write(track.Key, NpgsqlDbType.Text);
            t.Write(track.Name, NpgsqlDbType.Text);
            Text(t, track.AlbumKey);
            Text(t, track.AlbumName);
            t.Write(track.ArtistNames, NpgsqlDbType.Array | NpgsqlDbType.Text);
            t.Write(track.ArtistKeys, NpgsqlDbType.Array | NpgsqlDbType.Text);
            Nullable(t, track.DurationMs, NpgsqlDbType.Integer);
        }

        await t.CompleteAsync(ct);
    }

    /// <summary>Without <see cref="CompleteAsync"/>, disposing cancels the COPY: nothing is kept.</summary>
    public ValueTask DisposeAsync() => _rows?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The play's track, described by the first play that names it — or by a later one that knows a
    /// longer duration (the API reports the track's length; an export does not).
    /// </summary>
    private StagedTrack TrackOf(PlayRecord p)
    {
        var key = CatalogKeys.Track(p);
        if (!_byKey.TryGetValue(key, out var track))
        {
            track = new StagedTrack(_tracks.Count + 1, key, p);
            _byKey.Add(key, track);
            _tracks.Add(track);
        }
        else if (p.TrackDurationMs > (track.DurationMs ?? int.MinValue))
        {
            track.Describe(p);
        }

        return track;
    }

    private static void Text(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void Nullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private sealed class StagedTrack
    {
        public StagedTrack(int no, string key, PlayRecord p)
        {
            No = no;
            Key = key;
            Describe(p);
        }

        public int No { get; }
        public string Key { get; }
        public string Name { get; private set; } = "";
        public string? AlbumKey { get; private set; }
        public string? AlbumName { get; private set; }
        public string[] ArtistNames { get; private set; } = [];
        public string[] ArtistKeys { get; private set; } = [];
        public int? DurationMs { get; private set; }

        public void Describe(PlayRecord p)
        {
            Name = p.TrackName;
            AlbumKey = CatalogKeys.Album(p);
            AlbumName = p.AlbumName;
            ArtistNames = new string[p.Artists.Count];
            ArtistKeys = new string[p.Artists.Count];
            for (var a = 0; a < ArtistNames.Length; a++)
            {
                ArtistNames[a] = p.Artists[a].Name;
                ArtistKeys[a] = CatalogKeys.Artist(p.Artists[a]);
            }

            DurationMs = p.TrackDurationMs;
        }
    }
}
