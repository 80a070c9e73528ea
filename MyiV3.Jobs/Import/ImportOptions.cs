namespace MyiV3.Jobs.Import;

public sealed class ImportOptions
{
    /// <summary>Uploads larger than this are refused while they stream in (nothing is kept).</summary>
    public long MaxUploadBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Where uploads wait for processing; each is deleted once its import ends.</summary>
    public string StorageDirectory { get; set; } = DefaultStorageDirectory();

    /// <summary>Plays applied per transaction: large enough for set-based speed, small enough that charts move while an import runs.</summary>
    public int BatchSize { get; set; } = 50_000;

    // Zero (what an empty setting binds to) would cut no slices at all; a batch of millions holds the
    // user's lock, and every open chart, until the whole file is in.
    public const int MinBatchSize = 1;
    public const int MaxBatchSize = 1_000_000;

    public static string DefaultStorageDirectory() =>
        Environment.IsPrivilegedProcess && OperatingSystem.IsLinux()
            ? "/var/lib/myiv3/uploads"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "MyiV3", "uploads");
}
