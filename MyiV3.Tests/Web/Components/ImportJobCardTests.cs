using Bunit;
using MyiV3.Data.Entities;
using MyiV3.Web.Features.Import;

namespace MyiV3.Tests.Web.Components;

/// <summary>What a person sees of an import while it runs: which phase it is in and how far it got.</summary>
public sealed class ImportJobCardTests : MudTestContext
{
    private static ImportJob Job(long processed, long? staged, long applied) => new()
    {
        Id = 7, UserId = 1, FileName = "my_spotify_data.zip", ContentHash = new string('0', 64), FileSize = 23_000_000,
        Status = JobStatus.Processing, ProcessedRows = processed, TotalRows = staged is null ? null : processed,
        StagedRows = staged, AppliedRows = applied,
    };

    [Fact]
    public void While_the_file_is_read_the_bar_is_indeterminate_and_counts_rows_read()
    {
        var card = Render<ImportJobCard>(p => p.Add(c => c.Job, Job(120_000, null, 0)));

        Assert.NotNull(card.Find("[data-phase='reading']"));
        Assert.Equal("Reading the file: 120,000 rows so far", card.Find(".myi-job__phase").TextContent.Trim());
    }

    [Fact]
    public void While_plays_are_added_the_bar_follows_the_applied_rows_not_the_rows_read()
    {
        var card = Render<ImportJobCard>(p => p.Add(c => c.Job, Job(263_165, 250_601, 100_000)));

        Assert.NotNull(card.Find("[data-phase='adding']"));
        Assert.Equal("Adding plays, oldest first: 100,000 of 250,601", card.Find(".myi-job__phase").TextContent.Trim());
        Assert.Contains("39.9", card.Find("[data-phase='adding']").OuterHtml, StringComparison.Ordinal);
    }
}
