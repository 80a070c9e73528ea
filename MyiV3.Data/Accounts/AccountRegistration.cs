using Microsoft.Extensions.DependencyInjection;

namespace MyiV3.Data.Accounts;

public static class AccountRegistration
{
    public static IServiceCollection AddMyiAccounts(this IServiceCollection services)
    {
        services.AddSingleton<AccountExport>();
        services.AddSingleton<AccountEraser>();
        return services;
    }
}
