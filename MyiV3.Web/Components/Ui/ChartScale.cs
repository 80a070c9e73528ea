namespace MyiV3.Web.Components.Ui;

/// <summary>Y-axis tick spacing for MudBlazor's axis charts, from the data shown.</summary>
public static class ChartScale
{
    /// <summary>
    /// A round step (1, 2 or 5 × 10ⁿ, never below 1: plays are whole) giving about <paramref name="ticks"/> intervals up
    /// to <paramref name="max"/>. MudBlazor's fixed default of 20 squeezed a track played once into a sliver at the
    /// bottom of a 0–20 axis.
    /// </summary>
    public static int Step(double max, int ticks = 4)
    {
        var raw = max / Math.Max(1, ticks);
        if (raw <= 1)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var mantissa = raw / magnitude;
        var round = mantissa switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 5 => 5,
            _ => 10,
        };
        return (int)Math.Min(int.MaxValue, round * magnitude);
    }
}
