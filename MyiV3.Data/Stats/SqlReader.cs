using Npgsql;

namespace MyiV3.Data.Stats;

/// <summary>Positional-parameter reads over the shared data source; one short command per call.</summary>
internal static class SqlReader
{
    public static async Task<List<T>> ListAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params object[] args)
    {
        await using var cmd = Command(dataSource, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static async Task<T?> SingleAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params object[] args)
        where T : class
    {
        var list = await ListAsync(dataSource, sql, map, ct, args);
        return list.Count == 0 ? null : list[0];
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, object[] args)
    {
        var cmd = dataSource.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        return cmd;
    }

    public static string? NullableString(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static long? NullableInt64(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public static int? NullableInt32(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

    public static DateTimeOffset? NullableTimestamp(this NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
