namespace MyiV3.Data.Ingestion;

/// <summary>The engine's SQL, kept as reviewable .sql files embedded in the assembly.</summary>
internal static class IngestionSql
{
    public static readonly string Delta = Load("00_Delta.sql");
    public static readonly string Stage = Load("01_Stage.sql");
    public static readonly string StagedTwins = Load("01_StagedTwins.sql");
    public static readonly string Catalog = Load("02_Catalog.sql");
    public static readonly string CatalogReferences = Load("02_CatalogReferences.sql");
    public static readonly string References = Load("02_References.sql");
    public static readonly string Correct = Load("03_Correct.sql");
    public static readonly string Twins = Load("03_Twins.sql");
    public static readonly string Insert = Load("04_Insert.sql");
    public static readonly string InsertFresh = Load("04_InsertFresh.sql");
    public static readonly string PrepareSlice = Load("04_PrepareSlice.sql");
    public static readonly string InsertPrepared = Load("04_InsertPrepared.sql");
    public static readonly string ApplyRemovals = Load("05_ApplyRemovals.sql");
    public static readonly string Sums = Load("06_Sums.sql");
    public static readonly string ApplyAdditions = Load("06_ApplyAdditions.sql");
    public static readonly string AfterRemovals = Load("07_AfterRemovals.sql");
    public static readonly string Rebuild = Load("08_Rebuild.sql");
    public static readonly string Relink = Load("09_Relink.sql");
    public static readonly string MonthTrackDelta = Load("10_MonthTrackDelta.sql");
    public static readonly string MonthArtistDelta = Load("10_MonthArtistDelta.sql");
    public static readonly string MergeMonths = Load("11_MergeMonths.sql");

    /// <summary>Two-key advisory lock namespace ("MYI" + 1) for per-user ingestion.</summary>
    public const int UserLockNamespace = 0x4D594901;

    /// <summary>Advisory lock namespace ("MYI" + 2) of the catalog lock (key 0): shared by ingestions, exclusive for relinks.</summary>
    public const int CatalogLockNamespace = 0x4D594902;

    /// <summary>Advisory lock namespace ("MYI" + 3) of a user's import lock (<see cref="ImportLock"/>), held while an import applies its batches.</summary>
    public const int ImportLockNamespace = 0x4D594903;

    private static string Load(string name)
    {
        var resource = $"MyiV3.Data.Ingestion.Sql.{name}";
        using var stream = typeof(IngestionSql).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
