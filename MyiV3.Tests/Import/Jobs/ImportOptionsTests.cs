using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MyiV3.Jobs.Hosting;
using MyiV3.Jobs.Import;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>The import's settings as an operator writes them: a nonsensical value stops the app with the setting's name, not an import that never ends.</summary>
public sealed class ImportOptionsTests
{
    [Fact]
    public void Without_settings_an_import_applies_50000_plays_per_transaction() =>
        Assert.Equal(50_000, Options(new Dictionary<string, string?>()).Value.BatchSize);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("")]
    [InlineData("2000000")]
    public void A_batch_size_out_of_range_is_refused_by_name(string value)
    {
        var options = Options(new Dictionary<string, string?> { ["Import:BatchSize"] = value });

        var error = Assert.ThrowsAny<Exception>(() => options.Value);

        Assert.Contains("Import:BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_upload_limit_is_refused_by_name()
    {
        var options = Options(new Dictionary<string, string?> { ["Import:MaxUploadBytes"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => options.Value);

        Assert.Contains("Import:MaxUploadBytes", error.Message, StringComparison.Ordinal);
    }

    private static IOptions<ImportOptions> Options(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddMyiImport(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptions<ImportOptions>>();
    }
}
