using Microsoft.Extensions.DependencyInjection.Extensions;
using MyiV3.Data.Live;
using MyiV3.Web.Live;

namespace MyiV3.Web.Hosting;

public static class LiveRegistration
{
    /// <summary>One notifier for the process: jobs publish to it as IUserNotifier, pages subscribe to it.</summary>
    public static IServiceCollection AddMyiLive(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UserNotifier>();
        services.RemoveAll<IUserNotifier>();
        services.AddSingleton<IUserNotifier>(sp => sp.GetRequiredService<UserNotifier>());
        return services;
    }
}
