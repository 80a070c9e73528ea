using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MyiV3.Jobs.Spotify;

namespace MyiV3.Web.Features.Account;

/// <summary>
/// Sign-in with Spotify: authorization code + PKCE. The verifier and state wait in a short-lived,
/// data-protected, HttpOnly cookie between /account/login and /account/callback.
/// </summary>
public static partial class SpotifySignInEndpoints
{
    private const string FlowCookie = "myi.spotify.oauth";
    private static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);

    private sealed record Flow(string State, string Verifier, string RedirectUri);

    public static WebApplication MapMyiSpotifySignIn(this WebApplication app)
    {
        app.MapGet("/account/login", (HttpContext http, IOptions<SpotifyOptions> options, SpotifyAccountsClient accounts, IDataProtectionProvider dp) =>
        {
            if (!options.Value.IsConfigured)
            {
                return Results.LocalRedirect("/signin?error=not-configured");
            }

            var flow = new Flow(Base64Url(RandomNumberGenerator.GetBytes(24)), Base64Url(RandomNumberGenerator.GetBytes(48)), RedirectUri(http, options.Value));
            var protector = Protector(dp);
            http.Response.Cookies.Append(FlowCookie, protector.ToTimeLimitedDataProtector().Protect(JsonSerializer.Serialize(flow), FlowLifetime), new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                // Lax: the cookie must come back on Spotify's top-level redirect to the callback.
                SameSite = SameSiteMode.Lax,
                Path = "/account",
                MaxAge = FlowLifetime,
                IsEssential = true,
            });
            var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(flow.Verifier)));
            return Results.Redirect(accounts.AuthorizeUrl(flow.RedirectUri, flow.State, challenge).ToString());
        });

        app.MapGet("/account/callback", async (HttpContext http, SpotifyAccountsClient accounts, SpotifyAccountLinker linker,
            IDataProtectionProvider dp, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger(typeof(SpotifySignInEndpoints));
            var flow = ReadFlow(http, Protector(dp));
            http.Response.Cookies.Delete(FlowCookie, new CookieOptions { Path = "/account" });
            var q = http.Request.Query;
            if (!string.IsNullOrEmpty(q["error"]))
            {
                return Results.LocalRedirect("/signin?error=denied");
            }

            if (flow is null || !FixedEquals(flow.State, q["state"].ToString()) || string.IsNullOrEmpty(q["code"]))
            {
                LogBadState(logger);
                return Results.LocalRedirect("/signin?error=state");
            }

            try
            {
                var token = await accounts.ExchangeCodeAsync(q["code"].ToString(), flow.RedirectUri, flow.Verifier, http.RequestAborted);
                var user = await linker.LinkAsync(token, http.RequestAborted);
                await AccountSession.SignInAsync(http, user);
                return Results.LocalRedirect("/");
            }
            catch (SpotifyException ex)
            {
                LogFailed(logger, ex.Kind, ex.StatusCode);
                return Results.LocalRedirect("/signin?error=spotify");
            }
        });
        return app;
    }

    private static IDataProtector Protector(IDataProtectionProvider dp) => dp.CreateProtector("MyiV3.SpotifySignIn.v1");

    private static Flow? ReadFlow(HttpContext http, IDataProtector protector)
    {
        var raw = http.Request.Cookies[FlowCookie];
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Flow>(protector.ToTimeLimitedDataProtector().Unprotect(raw));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string RedirectUri(HttpContext http, SpotifyOptions o) =>
        string.IsNullOrWhiteSpace(o.RedirectUri) ? $"{http.Request.Scheme}://{http.Request.Host}/account/callback" : o.RedirectUri;

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify sign-in callback with a missing or wrong state")]
    private static partial void LogBadState(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify sign-in failed: {Kind} ({Status})")]
    private static partial void LogFailed(ILogger logger, SpotifyErrorKind kind, int? status);
}
