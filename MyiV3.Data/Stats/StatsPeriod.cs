namespace MyiV3.Data.Stats;

/// <summary>The periods a person picks on the dashboard.</summary>
public enum PeriodPreset
{
    Last4Weeks,
    Last6Months,
    LastYear,
    AllTime,
    Custom,
}

/// <summary>
/// An inclusive range of local dates in the user's time zone; <see cref="From"/> and <see cref="To"/>
/// are both null for all time.
/// </summary>
public sealed record StatsPeriod(DateOnly? From, DateOnly? To)
{
    public static StatsPeriod AllTime { get; } = new(null, null);

    public bool IsAllTime => From is null && To is null;

    public static StatsPeriod Range(DateOnly from, DateOnly to) =>
        from <= to ? new StatsPeriod(from, to) : throw new ArgumentException("The period ends before it starts.", nameof(to));

    /// <summary>The period a preset means on a given local day (the user's "today").</summary>
    public static StatsPeriod For(PeriodPreset preset, DateOnly today) => preset switch
    {
        PeriodPreset.Last4Weeks => new(today.AddDays(-27), today),
        PeriodPreset.Last6Months => new(today.AddMonths(-6).AddDays(1), today),
        PeriodPreset.LastYear => new(today.AddYears(-1).AddDays(1), today),
        PeriodPreset.AllTime => AllTime,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "A custom period needs explicit dates."),
    };

    /// <summary>The months a period touches (first days), null for all time.</summary>
    public (DateOnly FirstMonth, DateOnly LastMonth)? Months =>
        From is { } f && To is { } t ? (new DateOnly(f.Year, f.Month, 1), new DateOnly(t.Year, t.Month, 1)) : null;

    /// <summary>
    /// The period cut for the stores that answer it exactly: the whole months inside it (the month tables; none
    /// when <c>FirstMonth</c> &gt; <c>LastMonth</c>) and the days before and after them (the events themselves,
    /// at most two months' worth). Null for all time.
    /// </summary>
    public PeriodParts? Parts
    {
        get
        {
            if (From is not { } f || To is not { } t)
            {
                return null;
            }

            var first = new DateOnly(f.Year, f.Month, 1);
            if (f.Day != 1)
            {
                first = first.AddMonths(1);
            }

            var last = new DateOnly(t.Year, t.Month, 1);
            if (t != last.AddMonths(1).AddDays(-1))
            {
                last = last.AddMonths(-1);
            }

            if (first > last)
            {
                return new PeriodParts(first, last, (f, t), null);
            }

            return new PeriodParts(first, last,
                f < first ? (f, first.AddDays(-1)) : null,
                t > last.AddMonths(1).AddDays(-1) ? (last.AddMonths(1), t) : null);
        }
    }
}

/// <summary>Whole months (first days, inclusive) and the local days either side of them (inclusive).</summary>
public sealed record PeriodParts(DateOnly FirstMonth, DateOnly LastMonth, (DateOnly From, DateOnly To)? Head, (DateOnly From, DateOnly To)? Tail);
