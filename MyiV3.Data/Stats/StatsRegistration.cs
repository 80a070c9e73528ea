using Microsoft.Extensions.DependencyInjection;

namespace MyiV3.Data.Stats;

public static class StatsRegistration
{
    /// <summary>The dashboard, library and public-profile queries: stateless singletons over the shared data source.</summary>
    public static IServiceCollection AddMyiStats(this IServiceCollection services)
    {
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<LibraryQueries>();
        services.AddSingleton<ProfileQueries>();
        return services;
    }
}
