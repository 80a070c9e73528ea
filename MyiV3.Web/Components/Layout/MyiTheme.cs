using MudBlazor;

namespace MyiV3.Web.Components.Layout;

/// <summary>
/// The app's palettes. Every text colour here meets WCAG AA (4.5:1) on the surfaces it is used on, and
/// every filled control's text on its fill: Spotify's own green (#1DB954) is 2.4:1 on a light page, so
/// light mode uses a darker green, and dark mode puts black, not white, on its bright fills.
/// AccessibilityTests checks the rendered pages.
/// </summary>
public static class MyiTheme
{
    /// <summary>Bars and lines of the single-series charts: 3:1 or more against the light and the dark card alike.</summary>
    public const string ChartGreen = "#169C46";

    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#117A3A",
            Success = "#2E7D32",
            Error = "#C62828",
            Info = "#1565C0",
            Warning = "#B45309",
            TextSecondary = "#5F6368",
            AppbarBackground = "#121212",
            Background = "#F6F7F9",
            DrawerBackground = "#FFFFFF",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#1ED760",
            PrimaryContrastText = "#000000",
            SuccessContrastText = "#000000",
            ErrorContrastText = "#000000",
            InfoContrastText = "#000000",
            WarningContrastText = "#000000",
            Background = "#121212",
            Surface = "#1C1C1E",
            DrawerBackground = "#161618",
            AppbarBackground = "#0B0B0C",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
