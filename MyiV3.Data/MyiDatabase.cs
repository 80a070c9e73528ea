using Microsoft.EntityFrameworkCore;
using MyiV3.Data.Entities;
using Npgsql;
using Npgsql.TypeMapping;

namespace MyiV3.Data;

/// <summary>How the app and its tools reach the database: one data source, one set of options.</summary>
public static class MyiDatabase
{
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        MapEnums(builder);
        return builder.Build();
    }

    public static void MapEnums(INpgsqlTypeMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        mapper.MapEnum<PlaySource>("source");
        mapper.MapEnum<Term>("term");
        mapper.MapEnum<BucketType>("bucket_type");
        mapper.MapEnum<JobStatus>("job_status");
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseNpgsql(dataSource, o =>
            {
                o.MapEnum<PlaySource>("source");
                o.MapEnum<Term>("term");
                o.MapEnum<BucketType>("bucket_type");
                o.MapEnum<JobStatus>("job_status");
                o.MigrationsHistoryTable("__ef_migrations_history");
            })
            .UseSnakeCaseNamingConvention();
    }
}
