using MyiV3.Web.Components.Ui;

namespace MyiV3.Tests.Web.Components;

public sealed class UiFormatTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(9, 5)]
    [InlineData(20, 5)]
    [InlineData(37, 10)]
    [InlineData(1_203, 500)]
    [InlineData(2_560, 1_000)]
    [InlineData(120_000, 50_000)]
    public void A_chart_of_plays_gets_round_whole_steps_of_about_a_quarter_of_its_peak(double max, int step) =>
        Assert.Equal(step, ChartScale.Step(max));

    [Theory]
    [InlineData(0, "0%")]
    [InlineData(1d / 25_000, "< 0.1%")]
    [InlineData(0.0123, "1.2%")]
    [InlineData(0.23, "23%")]
    public void A_share_too_small_to_show_says_so_instead_of_zero(double share, string shown) =>
        Assert.Equal(shown, Fmt.Percent(share));

    [Theory]
    [InlineData(1L << 30, "1 GB")]
    [InlineData(3L << 29, "1.5 GB")]
    [InlineData(300L << 20, "300 MB")]
    [InlineData(12_345, "12.1 KB")]
    [InlineData(512, "512 bytes")]
    public void An_upload_limit_reads_in_the_largest_whole_unit(long bytes, string shown) =>
        Assert.Equal(shown, Fmt.Size(bytes));
}
