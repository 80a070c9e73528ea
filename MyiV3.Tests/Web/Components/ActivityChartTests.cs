using Bunit;
using MyiV3.Data.Entities;
using MyiV3.Data.Stats;
using MyiV3.Web.Features.Dashboard;

namespace MyiV3.Tests.Web.Components;

/// <summary>The activity chart says when its last point is a bucket still filling, so it does not read as a drop.</summary>
public sealed class ActivityChartTests : MudTestContext
{
    private IRenderedComponent<ActivityChart> RenderChart(BucketType bucket, DateOnly today, params (string Date, long Plays)[] points) =>
        Render<ActivityChart>(p => p
            .Add(c => c.Points, points.Select(x => new ActivityPoint(DateOnly.Parse(x.Date, System.Globalization.CultureInfo.InvariantCulture), x.Plays, x.Plays * 180_000)).ToList())
            .Add(c => c.Bucket, bucket)
            .Add(c => c.Today, today));

    [Fact]
    public void The_current_month_is_marked_as_not_over_with_how_far_it_is()
    {
        var cut = RenderChart(BucketType.Month, new DateOnly(2026, 12, 3), ("2026-10-01", 1_100), ("2026-11-01", 1_250), ("2026-12-01", 120));

        Assert.Equal("December 2026 is not over yet (day 3 of 31): 120 plays so far.", cut.Find("[data-partial]").TextContent);
    }

    [Fact]
    public void The_current_week_and_today_are_marked_too_on_their_last_day()
    {
        // Sunday 6 December 2026 is the last day of the ISO week that began on Monday 30 November.
        var week = RenderChart(BucketType.Week, new DateOnly(2026, 12, 6), ("2026-11-23", 300), ("2026-11-30", 250));
        Assert.Equal("This week is not over yet (day 7 of 7): 250 plays so far.", week.Find("[data-partial]").TextContent);

        var day = RenderChart(BucketType.Day, new DateOnly(2026, 12, 3), ("2026-12-02", 40), ("2026-12-03", 1_203));
        Assert.Equal("Today is not over yet: 1,203 plays so far.", day.Find("[data-partial]").TextContent);
    }

    [Fact]
    public void A_period_that_ended_before_today_has_no_such_note()
    {
        var cut = RenderChart(BucketType.Month, new DateOnly(2026, 12, 3), ("2025-01-01", 900), ("2025-12-01", 800));

        Assert.Empty(cut.FindAll("[data-partial]"));
    }
}
