using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Accounts;

namespace MyiV3.Web.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapMyiAccountDataEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapPost("/account/demo", async (HttpContext http, DemoAccount demo, IAntiforgery antiforgery, TimeProvider time,
            IDbContextFactory<MyiDbContext> factory, CancellationToken ct) =>
        {
            if (!demo.IsEnabled)
            {
                return Results.NotFound();
            }

            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest("The form expired; reload the page and try again.");
            }

            var user = await demo.EnsureAsync(ct);
            await TouchLoginAsync(factory, user.Id, time, ct);
            await AccountSession.SignInAsync(http, user);
            return Results.LocalRedirect("/");
        });

        // After deleting an account the page lands here: the cookie of a user that no longer exists is dropped.
        app.MapGet("/account/signed-out", async (HttpContext http, IDbContextFactory<MyiDbContext> factory, CancellationToken ct) =>
        {
            if (AccountSession.UserId(http.User) is { } id)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                if (!await db.Users.AnyAsync(u => u.Id == id, ct))
                {
                    await http.SignOutAsync(AccountSession.Scheme);
                }
            }

            return Results.LocalRedirect("/");
        });

        var data = app.MapGroup("/account/data").RequireAuthorization();
        data.MapGet("/plays.json", (HttpContext http, AccountExport export, CancellationToken ct) =>
            Download(http, "application/json", "my_myiv3_streaming_history.json", (id, body) => export.WritePlaysJsonAsync(id, body, ct)));
        data.MapGet("/plays.csv", (HttpContext http, AccountExport export, CancellationToken ct) =>
            Download(http, "text/csv; charset=utf-8", "my_myiv3_plays.csv", (id, body) => export.WritePlaysCsvAsync(id, body, ct)));
        data.MapGet("/profile.json", (HttpContext http, AccountExport export, CancellationToken ct) =>
            Download(http, "application/json", "my_myiv3_profile.json", (id, body) => export.WriteProfileJsonAsync(id, body, ct)));
        return app;
    }

    private static async Task<IResult> Download(HttpContext http, string contentType, string fileName, Func<long, Stream, Task> write)
    {
        if (AccountSession.UserId(http.User) is not { } id)
        {
            return Results.Unauthorized();
        }

        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        // Rows go to the client as they are read from the database.
        await write(id, http.Response.Body);
        return Results.Empty;
    }

    internal static async Task TouchLoginAsync(IDbContextFactory<MyiDbContext> factory, long userId, TimeProvider time, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastLoginAt, now), ct);
    }
}
