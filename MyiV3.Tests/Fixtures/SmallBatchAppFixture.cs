using Microsoft.AspNetCore.Builder;

namespace MyiV3.Tests.Fixtures;

/// <summary>The app with small import batches, so an import commits many times and pages can be seen moving.</summary>
public sealed class SmallBatchAppFixture : AppFixture
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration["Import:BatchSize"] = "500";
    }
}
