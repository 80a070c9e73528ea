namespace MyiV3.Web.Components.Layout;

/// <summary>The circuit's theme choice ("system", "light", "dark"); the settings page sets it, the layout applies it.</summary>
public sealed class ThemeState
{
    public string Theme { get; private set; } = "system";

    public event Action? Changed;

    public void Set(string theme)
    {
        if (!string.Equals(Theme, theme, StringComparison.Ordinal))
        {
            Theme = theme;
            Changed?.Invoke();
        }
    }
}
