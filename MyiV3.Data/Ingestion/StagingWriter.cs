using System.Runtime.CompilerServices;
using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// Binary COPY of plays into a staging table (<see cref="StageTable"/> columns), and of their
/// distinct tracks into its tracks table when the rows are complete. Each play row carries its
/// place in the input (<c>ord</c>, from 1) and the number of its track; a track's names and catalog
/// keys are computed and written once, however often it was played. Rows are encoded by
/// <see cref="CopyRowBuffer"/> and sent through a raw COPY stream 64 KB at a time.
/// </summary>
public sealed class StagingWriter : IAsyncDisposable
{
    private const short RowFields = 12;
    private const short TrackFields = 9;

    // ord, played_at, ms_played, track_no, skipped, shuffle, offline, incognito; then 4 texts.
    private const int FixedRowBytes = (2 * CopyRowBuffer.Int64Field) + (2 * CopyRowBuffer.Int32Field) + (4 * CopyRowBuffer.BoolField);

    private readonly NpgsqlConnection _conn;
    private readonly string _tracksTable;
    private readonly Dictionary<string, StagedTrack> _byKey = new(StringComparer.Ordinal);
    private readonly List<StagedTrack> _tracks = [];
    private readonly CopyRowBuffer _buffer = new();
    private NpgsqlRawCopyStream? _rows;

    private StagingWriter(NpgsqlConnection conn, string tracksTable, NpgsqlRawCopyStream rows)
    {
        _conn = conn;
        _tracksTable = tracksTable;
        _rows = rows;
    }

    public long Rows { get; private set; }

    public int Tracks => _tracks.Count;

    internal static async Task<StagingWriter> BeginAsync(NpgsqlConnection conn, string rowsTable, string tracksTable, CancellationToken ct) =>
        new(conn, tracksTable, await conn.BeginRawBinaryCopyAsync($"COPY {rowsTable} ({StageTable.ColumnNames}) FROM STDIN (FORMAT BINARY)", ct));

    internal static async Task WriteAllAsync(NpgsqlConnection conn, string rowsTable, string tracksTable, IReadOnlyList<PlayRecord> plays, CancellationToken ct)
    {
        await using var writer = await BeginAsync(conn, rowsTable, tracksTable, ct);
        foreach (var p in plays)
        {
            await writer.WriteAsync(p, ct);
        }

        await writer.CompleteAsync(ct);
    }

    /// <summary>Adds one row; every 64 KB of rows is sent, and then awaited.</summary>
    public Task WriteAsync(PlayRecord p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(p);
        ct.ThrowIfCancellationRequested();
        Append(p);
        return _buffer.Length >= CopyRowBuffer.FlushAt ? SendAsync(ct) : Task.CompletedTask;
    }

    /// <summary>
    /// Adds one row; every 64 KB of rows is sent synchronously (as Npgsql's own importer flushes its
    /// buffer): for a loop that stages hundreds of thousands of rows without an await per row.
    /// </summary>
    public void Write(PlayRecord p)
    {
        Append(p);
        if (_buffer.Length >= CopyRowBuffer.FlushAt)
        {
            var rows = _rows!;
            rows.Write(_buffer.Pending.Span);
            _buffer.Clear();
        }
    }

    /// <summary>Ends the rows' COPY, then writes the distinct tracks in the order they were first seen.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        var rows = _rows ?? throw new InvalidOperationException("The staged rows are complete.");
        _buffer.Trailer();
        await SendAsync(ct);
        _rows = null;
        await rows.DisposeAsync();

        var tracks = await _conn.BeginRawBinaryCopyAsync($"COPY {_tracksTable} ({StageTable.TrackColumnNames}) FROM STDIN (FORMAT BINARY)", ct);
        try
        {
            var buffer = new CopyRowBuffer();
            foreach (var track in _tracks)
            {
                buffer.StartRow(TrackFields, CopyRowBuffer.Int32Field + CopyRowBuffer.TextField(track.Key) + CopyRowBuffer.TextField(track.Name)
                    + CopyRowBuffer.TextField(track.AlbumKey) + CopyRowBuffer.TextField(track.AlbumName)
                    + CopyRowBuffer.TextArrayField(track.ArtistNames) + CopyRowBuffer.TextArrayField(track.ArtistKeys) + CopyRowBuffer.Int32Field
                    + CopyRowBuffer.TextField(track.NameKey));
                buffer.Int32(track.No);
                buffer.Text(track.Key);
                buffer.Text(track.Name);
                buffer.Text(track.AlbumKey);
                buffer.Text(track.AlbumName);
                buffer.TextArray(track.ArtistNames);
                buffer.TextArray(track.ArtistKeys);
                buffer.Int32(track.DurationMs);
                buffer.Text(track.NameKey);
                if (buffer.Length >= CopyRowBuffer.FlushAt)
                {
                    await tracks.WriteAsync(buffer.Pending, ct);
                    buffer.Clear();
                }
            }

            buffer.Trailer();
            await tracks.WriteAsync(buffer.Pending, ct);
        }
        catch
        {
            await tracks.CancelAsync();
            await tracks.DisposeAsync();
            throw;
        }

        // Disposing a raw COPY stream that is written to ends the COPY (and reports the server's errors).
        await tracks.DisposeAsync();
    }

    /// <summary>Without <see cref="CompleteAsync"/>, disposing cancels the COPY: nothing is kept.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_rows is { } rows)
        {
            _rows = null;
            try
            {
                await rows.CancelAsync();
            }
            finally
            {
                await rows.DisposeAsync();
            }
        }
    }

    /// <summary>Encodes one row; the columns of <see cref="StageTable.ColumnNames"/>, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(PlayRecord p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (_rows is null)
        {
            throw new InvalidOperationException("The staged rows are complete.");
        }

        var track = TrackOf(p);
        var b = _buffer;
        b.StartRow(RowFields, FixedRowBytes + CopyRowBuffer.TextField(p.ReasonStart) + CopyRowBuffer.TextField(p.ReasonEnd)
            + CopyRowBuffer.TextField(p.Platform) + CopyRowBuffer.TextField(p.ConnCountry));
        b.Int64(++Rows);
        b.TimestampTz(p.PlayedAt.UtcDateTime);
        b.Int32(p.MsPlayed);
        b.Int32(track.No);
        b.Bool(p.Skipped);
        b.Bool(p.Shuffle);
        b.Text(p.ReasonStart);
        b.Text(p.ReasonEnd);
        b.Text(p.Platform);
        b.Text(p.ConnCountry);
        b.Bool(p.Offline);
        b.Bool(p.Incognito);
    }

    private async Task SendAsync(CancellationToken ct)
    {
        var rows = _rows ?? throw new InvalidOperationException("The staged rows are complete.");
        await rows.WriteAsync(_buffer.Pending, ct);
        _buffer.Clear();
    }

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
        public string NameKey { get; private set; } = "";

        public void Describe(PlayRecord p)
        {
            Name = p.TrackName;
            NameKey = CatalogKeys.NameKey(p);
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
