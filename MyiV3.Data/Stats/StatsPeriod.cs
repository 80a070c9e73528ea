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

    /// <summary>
    /// The whole months a period touches: the month tables answer top lists at month granularity,
    /// so a range's top lists cover these months (shown to the user as such).
    /// </summary>
    public (DateOnly FirstMonth, DateOnly LastMonth)? Months =>
        From is { } f && To is { } t ? (new DateOnly(f.Year, f.Month, 1), new DateOnly(t.Year, t.Month, 1)) : null;
}
