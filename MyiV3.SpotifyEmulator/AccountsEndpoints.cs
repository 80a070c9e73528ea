using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.WebUtilities;

namespace MyiV3.SpotifyEmulator;

/// <summary>The accounts.spotify.com half: the authorize page and the token endpoint.</summary>
internal static class AccountsEndpoints
{
    private static readonly string[] OAuthFields =
        ["client_id", "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method"];

    public static void MapAccounts(this WebApplication app)
    {
        app.MapGet("/authorize", (HttpContext http, EmulatorState state) =>
        {
            var q = http.Request.Query;
            if (q["response_type"] != "code" || string.IsNullOrEmpty(q["redirect_uri"]))
            {
                return Results.BadRequest("response_type=code and redirect_uri are required");
            }

            if (!ClientMatches(state, q["client_id"]))
            {
                return Results.BadRequest("INVALID_CLIENT: Invalid client");
            }

            return Results.Content(AuthorizePage(state, q), "text/html; charset=utf-8");
        });

        app.MapPost("/authorize", async (HttpContext http, EmulatorState state) =>
        {
            var f = await http.Request.ReadFormAsync(http.RequestAborted);
            string redirect = f["redirect_uri"].ToString();
            var query = new Dictionary<string, string?>();
            if (f["action"] == "deny")
            {
                query["error"] = "access_denied";
            }
            else
            {
                var userId = f["new_user"].ToString().Trim();
                userId = userId.Length > 0 ? userId : f["user"].ToString();
                if (userId.Length == 0 || !ClientMatches(state, f["client_id"]))
                {
                    return Results.BadRequest("a user and a valid client are required");
                }

                state.AddUser(userId, initialPlays: state.Options.InitialPlaysPerUser);
                query["code"] = state.IssueCode(userId, f["client_id"].ToString(), redirect,
                    NullIfEmpty(f["code_challenge"]), NullIfEmpty(f["code_challenge_method"]), f["scope"].ToString());
            }

            if (!string.IsNullOrEmpty(f["state"]))
            {
                query["state"] = f["state"];
            }

            return Results.Redirect(QueryHelpers.AddQueryString(redirect, query));
        });

        app.MapPost("/api/token", Token);
    }

    private static async Task<IResult> Token(HttpContext http, EmulatorState state)
    {
        var f = await http.Request.ReadFormAsync(http.RequestAborted);
        var (clientId, secret) = ClientCredentials(http, f);
        if (!ClientMatches(state, clientId))
        {
            return OAuth(400, "invalid_client", "Invalid client");
        }

        var confidential = state.Options.ClientSecret is { Length: > 0 } expected && secret == expected;
        if (secret is not null && state.Options.ClientSecret is { Length: > 0 } && !confidential)
        {
            return OAuth(400, "invalid_client", "Invalid client secret");
        }

        switch (f["grant_type"].ToString())
        {
            case "authorization_code":
            {
                var grant = state.RedeemCode(f["code"].ToString());
                state.Record(Endpoints.Token, grant?.UserId);
                if (grant is null || grant.ExpiresAt < state.Time.GetUtcNow() || grant.ClientId != clientId)
                {
                    return OAuth(400, "invalid_grant", "Invalid authorization code");
                }

                if (grant.RedirectUri != f["redirect_uri"])
                {
                    return OAuth(400, "invalid_grant", "Invalid redirect URI");
                }

                if (grant.Challenge is not null)
                {
                    if (grant.Method != "S256" || !VerifierMatches(f["code_verifier"].ToString(), grant.Challenge))
                    {
                        return OAuth(400, "invalid_grant", "code_verifier was incorrect");
                    }
                }
                else if (!confidential)
                {
                    return OAuth(400, "invalid_request", "code_verifier required");
                }

                var (access, expiresIn) = state.IssueAccessToken(grant.UserId, grant.Scope);
                var refresh = state.IssueRefreshToken(grant.UserId, clientId!, grant.Scope);
                return Results.Json(new TokenResponse(access, "Bearer", grant.Scope, expiresIn, refresh));
            }

            case "refresh_token":
            {
                var token = f["refresh_token"].ToString();
                var grant = state.FindRefresh(token);
                state.Record(Endpoints.Token, grant?.UserId);
                if (grant is null || grant.Revoked)
                {
                    return OAuth(400, "invalid_grant", "Refresh token revoked");
                }

                var fault = state.Faults.Take(grant.UserId, Endpoints.Token);
                if (fault is not null)
                {
                    if (fault.Kind == FaultKind.Delay)
                    {
                        await Task.Delay(fault.Delay, http.RequestAborted);
                    }
                    else
                    {
                        return fault.Kind switch
                        {
                            FaultKind.InvalidGrant => OAuth(400, "invalid_grant", "Refresh token revoked"),
                            FaultKind.RateLimit => RateLimited(http, fault.RetryAfterSeconds),
                            _ => OAuth(fault.StatusCode, "server_error", "Injected failure"),
                        };
                    }
                }

                var uses = grant.Uses + 1;
                string? rotated = null;
                if (state.Options.RotateRefreshTokenEvery > 0 && uses % state.Options.RotateRefreshTokenEvery == 0)
                {
                    rotated = state.IssueRefreshToken(grant.UserId, grant.ClientId, grant.Scope);
                    state.UpdateRefresh(token, grant with { Revoked = true, Uses = uses });
                }
                else
                {
                    state.UpdateRefresh(token, grant with { Uses = uses });
                }

                var (access, expiresIn) = state.IssueAccessToken(grant.UserId, grant.Scope);
                return Results.Json(new TokenResponse(access, "Bearer", grant.Scope, expiresIn, rotated));
            }

            default:
                return OAuth(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
        }
    }

    private static IResult RateLimited(HttpContext http, int seconds)
    {
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Json(new ErrorBody(new ErrorDetail(429, "API rate limit exceeded")), statusCode: 429);
    }

    private static IResult OAuth(int status, string error, string description) =>
        Results.Json(new OAuthError(error, description), statusCode: status);

    private static bool ClientMatches(EmulatorState state, string? clientId) =>
        !string.IsNullOrEmpty(clientId) && (state.Options.ClientId.Length == 0 || state.Options.ClientId == clientId);

    private static (string? ClientId, string? Secret) ClientCredentials(HttpContext http, IFormCollection f)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var raw = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return (Uri.UnescapeDataString(raw[..colon]), Uri.UnescapeDataString(raw[(colon + 1)..]));
            }
        }

        return (NullIfEmpty(f["client_id"]), NullIfEmpty(f["client_secret"]));
    }

    internal static bool VerifierMatches(string verifier, string challenge)
    {
        if (verifier.Length is < 43 or > 128)
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(verifier));
        var computed = Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues v) => string.IsNullOrEmpty(v) ? null : v.ToString();

    private static string AuthorizePage(EmulatorState state, IQueryCollection q)
    {
        var enc = HtmlEncoder.Default;
        var hidden = new StringBuilder();
        foreach (var name in OAuthFields)
        {
            hidden.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{name}\" value=\"{enc.Encode(q[name].ToString())}\">");
        }

        var users = new StringBuilder();
        foreach (var u in state.Users)
        {
            users.Append(CultureInfo.InvariantCulture,
                $"<li><button type=\"submit\" name=\"user\" value=\"{enc.Encode(u.Id)}\">Sign in as {enc.Encode(u.DisplayName)}</button> <small>{enc.Encode(u.Id)}</small></li>");
        }

        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Spotify Emulator – Log in</title>
            <style>body{font-family:sans-serif;background:#121212;color:#eee;max-width:36rem;margin:3rem auto}
            button{background:#1db954;border:0;border-radius:2rem;padding:.5rem 1.2rem;margin:.3rem 0;cursor:pointer}
            li{list-style:none}</style></head>
            <body>
            <h1>Spotify Emulator</h1>
            <p>An application asks to access your account (scopes: {{enc.Encode(q["scope"].ToString())}}). Pick a test user.</p>
            <form method="post" action="/authorize">{{hidden}}
            <ul>{{users}}</ul>
            <p><label>Or a new test user id: <input name="new_user" autocomplete="off"></label> <button type="submit" name="action" value="approve">Sign in</button></p>
            <p><button type="submit" name="action" value="deny" style="background:#555;color:#eee">Cancel</button></p>
            </form>
            </body></html>
            """;
    }
}
