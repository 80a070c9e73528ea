using MyiV3.Data.Entities;

namespace MyiV3.Web.Components.Ui;

/// <summary>
/// Which points of a time axis get a label. At most <see cref="MaxLabels"/>, so that they stay apart on a
/// 360-pixel phone as on a desktop, and spaced by a step people count in (a quarter, a year; a week, four).
/// </summary>
public static class AxisLabels
{
    public const int MaxLabels = 6;

    private static readonly int[] MonthSteps = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120];
    private static readonly int[] WeekSteps = [1, 2, 4, 8, 13, 26, 52, 104, 156, 260];
    private static readonly int[] DaySteps = [1, 2, 3, 7, 14, 28, 56, 91, 182, 364, 728];

    public static string[] Thin<T>(IReadOnlyList<T> points, BucketType bucket, Func<T, string> label)
    {
        var step = Step(points.Count, bucket);
        var labels = new string[points.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % step == 0 ? label(points[i]) : "";
        }

        return labels;
    }

    public static int Step(int count, BucketType bucket)
    {
        var needed = (int)Math.Ceiling(count / (double)MaxLabels);
        var steps = bucket switch
        {
            BucketType.Day => DaySteps,
            BucketType.Week => WeekSteps,
            _ => MonthSteps,
        };
        foreach (var step in steps)
        {
            if (step >= needed)
            {
                return step;
            }
        }

        return Math.Max(1, needed);
    }
}
