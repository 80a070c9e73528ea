namespace MyiV3.Data.Migrations;

/// <summary>Raw SQL that migrations run where EF has no words, kept as reviewable .sql files.</summary>
internal static class MigrationSql
{
    public static string Load(string name)
    {
        var resource = $"MyiV3.Data.Migrations.Sql.{name}";
        using var stream = typeof(MigrationSql).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
