using MyiV3.Data.Embedded;
using MyiV3.Jobs.Hosting;
using MyiV3.Web.Cli;

namespace MyiV3.Web.Hosting;

/// <summary>Builds and runs the app; tests build the very same app with their own settings.</summary>
public static class MyiApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            if (CliApp.Handles(args))
            {
                return await CliApp.RunAsync(args, Console.Out, Console.Error);
            }

            await using var app = await BuildAsync(args);
            await app.RunAsync();
            return 0;
        }
        catch (EmbeddedPostgresUnavailableException ex)
        {
            // A setup problem a person must fix: say what, without a stack trace.
            await Console.Error.WriteLineAsync($"MyiV3 cannot start its database: {ex.Message}");
            return 2;
        }
    }

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(MyiApp).Assembly.GetName().Name,
        });
        AddRootSettings(builder.Configuration);
        configure?.Invoke(builder);

        await builder.AddMyiDatabaseAsync();
        builder.Services.AddMyiSpotify(builder.Configuration);
        builder.Services.AddMyiJobs(builder.Configuration);
        builder.AddMyiWeb();

        var app = builder.Build();
        await app.Services.MigrateMyiDatabaseAsync(app.Lifetime.ApplicationStopping);
        app.UseMyiWeb();
        return app;
    }

    /// <summary>
    /// The repository's root appsettings.json is the single source of settings; it is linked into
    /// the build output, which is not the content root under `dotnet run`. Lowest precedence:
    /// environment variables and the command line still override it.
    /// </summary>
    private static void AddRootSettings(ConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(path))
        {
            configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
            {
                Path = "appsettings.json",
                Optional = true,
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
            });
        }
    }
}
