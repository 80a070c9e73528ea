namespace MyiV3.Data.Embedded;

public sealed class EmbeddedPostgresOptions
{
    /// <summary>Folder with initdb, pg_ctl and postgres; found automatically when not set.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>Where the cluster lives (data, socket, log, credentials). Reused across runs.</summary>
    public string RootDirectory { get; set; } = DefaultRootDirectory();

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one at each start.</summary>
    public int Port { get; set; }

    public string Database { get; set; } = "myi";

    /// <summary>Server settings written into the cluster's own config file at every start.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal)
    {
        // Tuned for bulk ingestion on a small machine: fewer checkpoints during an import,
        // and enough buffers that the stats tables of a few users stay hot.
        ["shared_buffers"] = "256MB",
        ["max_wal_size"] = "4GB",
        ["checkpoint_timeout"] = "15min",
        ["work_mem"] = "32MB",
        ["maintenance_work_mem"] = "256MB",
        ["wal_compression"] = "on",
    };

    public static string DefaultRootDirectory()
    {
        // root's home is mode 700, so the postgres system user could not reach a folder there.
        if (Environment.IsPrivilegedProcess && OperatingSystem.IsLinux())
        {
            return "/var/lib/myiv3/postgres";
        }

        var baseDir = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(baseDir, "MyiV3", "postgres");
    }
}
