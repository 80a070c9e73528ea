namespace MyiV3.Data.Stats;

public static class TimeZones
{
    /// <summary>The IANA zone, or UTC when the id is empty or unknown to this machine.</summary>
    public static TimeZoneInfo FindOrUtc(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    /// <summary>The calendar date an instant falls on in the zone.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>IANA ids this machine knows, sorted, for a picker.</summary>
    public static IReadOnlyList<string> All() =>
        [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC").Order(StringComparer.Ordinal)];
}
