using Microsoft.AspNetCore.Builder;

namespace MyiV3.Tests.Fixtures;

/// <summary>The app with a 200 kB upload limit, to see refusals without sending a gigabyte.</summary>
public sealed class SmallUploadAppFixture : AppFixture
{
    public const int Limit = 200_000;

    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration["Import:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
