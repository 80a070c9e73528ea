using MyiV3.Data.Entities;
using MyiV3.Web.Components.Ui;

namespace MyiV3.Tests.Web.Components;

public sealed class AxisLabelsTests
{
    [Theory]
    [InlineData(BucketType.Month, 12, 2)]   // a year of months: every other month
    [InlineData(BucketType.Month, 36, 6)]   // three years: half-years
    [InlineData(BucketType.Month, 37, 12)]  // a little more: years
    [InlineData(BucketType.Month, 160, 36)] // thirteen years
    [InlineData(BucketType.Week, 53, 13)]   // a year of weeks: quarters
    [InlineData(BucketType.Week, 27, 8)]
    [InlineData(BucketType.Day, 28, 7)]     // four weeks of days: one a week
    [InlineData(BucketType.Day, 6, 1)]
    public void Labels_come_at_a_step_people_count_in_and_never_more_than_six(BucketType bucket, int points, int step)
    {
        var labels = AxisLabels.Thin(Enumerable.Range(0, points).ToList(), bucket, i => $"p{i}");

        Assert.Equal(step, AxisLabels.Step(points, bucket));
        Assert.Equal(points, labels.Length);
        Assert.InRange(labels.Count(l => l.Length > 0), 1, AxisLabels.MaxLabels);
        Assert.All(labels.Select((l, i) => (l, i)), x => Assert.Equal(x.i % step == 0 ? $"p{x.i}" : "", x.l));
    }
}
