using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using MyiV3.Data.Entities;

namespace MyiV3.Web.Features.Account;

/// <summary>The signed-in session: one cookie, the MyiV3 user id in a claim.</summary>
public static class AccountSession
{
    public const string UserIdClaim = "myi:uid";
    public const string DemoClaim = "myi:demo";
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    public static async Task SignInAsync(HttpContext http, User user)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(
            [
                new Claim(UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.DisplayName),
                new Claim(DemoClaim, user.IsDemo ? "true" : "false"),
            ],
            Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>The MyiV3 user id of a principal, or null when signed out.</summary>
    public static long? UserId(ClaimsPrincipal? principal) =>
        long.TryParse(principal?.FindFirst(UserIdClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>Whether a principal is the shared demo listener.</summary>
    public static bool IsDemo(ClaimsPrincipal? principal) => principal?.FindFirst(DemoClaim)?.Value == "true";
}
