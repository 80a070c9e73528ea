using Microsoft.Playwright;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.E2E;

public sealed class HomePageTests(AppFixture app, BrowserFixture browser) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_home_page_renders_the_MudBlazor_layout_without_error_UI()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, msg) =>
        {
            if (msg.Type == "error")
            {
                errors.Add(msg.Text);
            }
        };
        await page.GotoAsync(app.BaseUri.ToString());
        await page.WaitForSelectorAsync(".mud-layout");
        await page.WaitForSelectorAsync(".mud-appbar");
        Assert.Equal("MyiV3", await page.TitleAsync());
        Assert.False(await page.IsVisibleAsync("#blazor-error-ui"));
        // The interactive circuit is up: MudBlazor's dark-mode toggle changes the theme.
        await page.GetByLabel("Toggle dark mode").ClickAsync();
        await page.WaitForFunctionAsync("() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim() !== ''");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_address_that_matches_nothing_gets_the_apps_own_not_found_page_with_status_404()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(app.BaseUri, "no/such/page").ToString());

        Assert.Equal(404, response!.Status);
        await page.WaitForSelectorAsync(".mud-appbar");
        await Assertions.Expect(page).ToHaveTitleAsync("Not found · MyiV3");
        Assert.Equal("Not found", await page.Locator("h1").InnerTextAsync());
        await page.ClickAsync("#not-found-home");
        await page.WaitForURLAsync(app.BaseUri.ToString());
        await E2E.WaitForCircuitAsync(page);

        // The JSON endpoints keep a bare status code.
        var api = await context.APIRequest.GetAsync(new Uri(app.BaseUri, "api/no-such-endpoint").ToString());
        Assert.Equal(404, api.Status);
        Assert.DoesNotContain("Not found", await api.TextAsync(), StringComparison.Ordinal);
    }
}
