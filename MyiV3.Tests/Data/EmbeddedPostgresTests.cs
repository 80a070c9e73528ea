using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Embedded;
using Npgsql;

namespace MyiV3.Tests.Data;

public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_second_start_reuses_the_same_cluster_and_its_data()
    {
        var root = Path.Combine(Path.GetTempPath(), $"myiv3-embedded-{Guid.NewGuid():N}");
        try
        {
            var options = new EmbeddedPostgresOptions { RootDirectory = root, Database = "reuse" };
            options.Settings["fsync"] = "off";
            await using (var first = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance))
            {
                await using var conn = new NpgsqlConnection(first.ConnectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)", conn);
                await cmd.ExecuteNonQueryAsync();
            }

            await using var second = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
            await using var conn2 = new NpgsqlConnection(second.ConnectionString);
            await conn2.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT v FROM kept", conn2);
            Assert.Equal(42, await read.ExecuteScalarAsync());
            Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(second.ConnectionString).Host);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Without_server_binaries_the_error_says_what_to_install_or_configure()
    {
        var options = new EmbeddedPostgresOptions { BinDirectory = "/nonexistent/pg/bin", RootDirectory = Path.GetTempPath() };
        var ex = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(() => EmbeddedPostgres.StartAsync(options, NullLogger.Instance));
        Assert.Contains("apt-get install postgresql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Myi", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_machine_binaries_are_found_without_configuration()
    {
        Assert.NotNull(PostgresBinaries.Find(null));
    }

    [Fact]
    public async Task The_app_exits_with_one_clear_line_and_no_stack_trace_when_no_database_can_be_had()
    {
        var webDll = Path.Combine(AppContext.BaseDirectory, "MyiV3.Web.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(webDll);
        psi.Environment["Database__Embedded__BinDirectory"] = "/nonexistent/pg/bin";
        psi.Environment["ConnectionStrings__Myi"] = "";
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("MyiV3 cannot start its database:", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
