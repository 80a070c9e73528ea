using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MyiV3.Data.Live;

namespace MyiV3.Data.Ingestion;

public static class IngestionRegistration
{
    public static IServiceCollection AddMyiIngestion(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Where no web layer listens (command line, tools), events go nowhere.
        services.TryAddSingleton<IUserNotifier, NoListenersNotifier>();
        services.AddSingleton<IIngestionEngine, IngestionEngine>();
        services.AddSingleton<IStatsRebuilder, StatsRebuilder>();
        return services;
    }
}
