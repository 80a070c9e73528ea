using Microsoft.AspNetCore.Builder;

namespace MyiV3.Tests.Fixtures;

/// <summary>The app as a first start without a Spotify client: the demo account, with a small generated history.</summary>
public sealed class DemoAppFixture : AppFixture
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration["Spotify:ClientId"] = "";
        builder.Configuration["Demo:SeedHistory"] = "true";
        builder.Configuration["Demo:Plays"] = "3000";
        builder.Configuration["Demo:Years"] = "2";
        builder.Configuration["Import:BatchSize"] = "500";
    }
}
