using Microsoft.EntityFrameworkCore;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Data;

public sealed class MigrationTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var db = await fixture.Db.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.False(db.Database.HasPendingModelChanges(), "run `dotnet ef migrations add <Name> --project MyiV3.Data`");
    }

    [Fact]
    public async Task Every_migration_is_applied_to_the_test_database()
    {
        await using var db = await fixture.Db.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public async Task The_app_never_uses_EnsureCreated()
    {
        var root = SolutionRoot();
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("MyiV3.Tests", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("EnsureCreated", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
        await Task.CompletedTask;
    }

    internal static string SolutionRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MyiV3.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MyiV3.sln not found above the test folder.");
    }
}
