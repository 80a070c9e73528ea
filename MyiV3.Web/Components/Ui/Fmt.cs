using System.Globalization;

namespace MyiV3.Web.Components.Ui;

/// <summary>How numbers, durations and dates read on every page (one culture for the whole UI).</summary>
public static class Fmt
{
    private static readonly CultureInfo Ui = CultureInfo.GetCultureInfo("en-GB");

    public static string Count(long n) => n.ToString("N0", Ui);

    public static string Hours(long ms) => ms < 3_600_000
        ? (ms / 60_000d).ToString("N0", Ui) + " min"
        : (ms / 3_600_000d).ToString(ms < 36_000_000 ? "N1" : "N0", Ui) + " h";

    public static string Duration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }

    // One play in 25,000 is not "0.0%": a share too small to show says so.
    public static string Percent(double share) => share switch
    {
        <= 0 => "0%",
        < 0.0005 => "< 0.1%",
        < 0.1 => share.ToString("P1", Ui),
        _ => share.ToString("P0", Ui),
    };

    /// <summary>A byte count as the upload store's own refusals write it: 1 GB, 1.5 GB, 300 MB, 12 KB.</summary>
    public static string Size(long bytes) => MyiV3.Jobs.Import.UploadStore.FormatBytes(bytes);

    public static string Date(DateOnly d) => d.ToString("d MMM yyyy", Ui);


    public static string When(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone).ToString("d MMM yyyy, HH:mm", Ui);

    public static string Ago(DateTimeOffset t, DateTimeOffset now)
    {
        var d = now - t;
        return d.TotalMinutes < 1 ? "just now"
            : d.TotalHours < 1 ? $"{(int)d.TotalMinutes} min ago"
            : d.TotalDays < 1 ? $"{(int)d.TotalHours} h ago"
            : d.TotalDays < 30 ? $"{(int)d.TotalDays} d ago"
            : t.ToString("d MMM yyyy", Ui);
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
