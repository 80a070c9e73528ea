using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MyiV3.SpotifyEmulator;

/// <summary>Builds the emulator: run it alone, or host it in-process from tests on 127.0.0.1:0.</summary>
public static class EmulatorApp
{
    public static Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5199");
        }

        configure?.Invoke(builder);
        var options = new EmulatorOptions();
        builder.Configuration.GetSection("Emulator").Bind(options);
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

        var app = builder.Build();
        app.MapAccounts();
        app.MapApi();
        app.MapControl();
        app.MapGet("/", (EmulatorState s) => Results.Text(
            $"MyiV3 Spotify emulator: {s.Users.Count} test users. Accounts and Web API are both served here.\n"));
        return Task.FromResult(app);
    }

    /// <summary>The emulator's state (users, plays, faults) of a built app.</summary>
    public static EmulatorState State(this WebApplication app) => app.Services.GetRequiredService<EmulatorState>();
}
