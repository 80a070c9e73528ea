using MudBlazor.Services;
using MyiV3.Data.Stats;
using MyiV3.Web.Components;
using MyiV3.Web.Features.Account;

namespace MyiV3.Web.Hosting;

public static class WebRegistration
{
    public static WebApplicationBuilder AddMyiWeb(this WebApplicationBuilder builder)
    {
        builder.AddMyiAuth();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddMyiStats();
        builder.Services.AddMyiLive();
        builder.Services.AddMyiFeatures();
        return builder;
    }

    public static WebApplication UseMyiWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        // An address that matches nothing gets the app's own page (status 404) instead of the browser's; the
        // JSON endpoints keep their bare status codes.
        app.UseWhen(
            http => !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing after it, so that the re-executed request is routed to that page.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthChecks("/healthz");
        app.MapMyiAccountEndpoints();
        app.MapMyiSpotifySignIn();
        app.MapMyiFeatureEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
