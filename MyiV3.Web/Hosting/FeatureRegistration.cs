using MyiV3.Data.Accounts;
using MyiV3.Web.Components.Layout;
using MyiV3.Web.Features.Account;
using MyiV3.Web.Features.Import;

namespace MyiV3.Web.Hosting;

public static class FeatureRegistration
{
    /// <summary>The services behind the pages: accounts, settings, theme, demo.</summary>
    public static IServiceCollection AddMyiFeatures(this IServiceCollection services)
    {
        services.AddMyiAccounts();
        services.AddSingleton<DemoAccount>();
        services.AddSingleton<UserSettingsStore>();
        services.AddScoped<ThemeState>();
        services.AddSingleton<ImportJobsQuery>();
        services.AddHostedService<DemoSeeder>();
        return services;
    }

    public static WebApplication MapMyiFeatureEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMyiAccountDataEndpoints();
        app.MapMyiImportEndpoints();
        app.MapMyiTestSignIn(app.Configuration, app.Environment);
        return app;
    }
}
