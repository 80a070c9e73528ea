using Microsoft.AspNetCore.Authentication;
using MyiV3.Web.Features.Account;

namespace MyiV3.Web.Hosting;

public static class AuthRegistration
{
    public static WebApplicationBuilder AddMyiAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(AccountSession.Scheme)
            .AddCookie(AccountSession.Scheme, o =>
            {
                o.Cookie.Name = "myi.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.LogoutPath = "/account/logout";
                o.ExpireTimeSpan = TimeSpan.FromDays(30);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = KnownUsers.ValidateAsync;
            });
        builder.Services.AddSingleton<KnownUsers>();
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    public static WebApplication MapMyiAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(AccountSession.Scheme);
            return Results.LocalRedirect("/");
        });
        return app;
    }
}
