using Microsoft.EntityFrameworkCore;
using MyiV3.Data;

namespace MyiV3.Web.Features.Account;

/// <summary>
/// Signs in any existing user by id, for browser tests. Mapped only when the configuration says
/// Testing:EnableTestSignIn=true (the test fixture sets it; nothing in appsettings.json does), and
/// never in the Production environment whatever the configuration says.
/// </summary>
public static class TestSignIn
{
    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool>("Testing:EnableTestSignIn") && !environment.IsProduction();

    public static IEndpointRouteBuilder MapMyiTestSignIn(this IEndpointRouteBuilder app, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsEnabled(configuration, environment))
        {
            return app;
        }

        app.MapGet("/testing/signin/{userId:long}", async (long userId, string? returnUrl, HttpContext http, IDbContextFactory<MyiDbContext> factory, CancellationToken ct) =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return Results.NotFound();
            }

            await AccountSession.SignInAsync(http, user);
            return Results.LocalRedirect(string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl);
        });
        return app;
    }
}
