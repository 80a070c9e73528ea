using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MyiV3.SpotifyEmulator;

/// <summary>The api.spotify.com half: the Web API subset MyiV3 uses.</summary>
internal static class ApiEndpoints
{
    private static readonly string[] Terms = ["short_term", "medium_term", "long_term"];

    public static void MapApi(this WebApplication app)
    {
        app.MapGet("/v1/me", (HttpContext http, EmulatorState s) => Serve(http, s, Endpoints.Me, (user, _) =>
            Task.FromResult(Results.Json(ShapesFor(http, s).User(user)))));

        app.MapGet("/v1/me/player/recently-played", (HttpContext http, EmulatorState s) =>
            Serve(http, s, Endpoints.RecentlyPlayed, (user, fault) => Task.FromResult(RecentlyPlayed(http, s, user, fault))));

        app.MapGet("/v1/me/top/{type}", (HttpContext http, EmulatorState s, string type) =>
            Serve(http, s, type == "artists" ? Endpoints.TopArtists : Endpoints.TopTracks, (user, _) => Task.FromResult(Top(http, s, user, type))));

        app.MapGet("/v1/tracks/{id}", (HttpContext http, EmulatorState s, string id) => Serve(http, s, Endpoints.Tracks, (_, _) =>
            Task.FromResult(s.Catalog.Track(id) is { } t ? Results.Json(ShapesFor(http, s).Track(t)) : NotFound())));

        app.MapGet("/v1/artists/{id}", (HttpContext http, EmulatorState s, string id) => Serve(http, s, Endpoints.Artists, (_, _) =>
            Task.FromResult(s.Catalog.Artist(id) is { } a ? Results.Json(ShapesFor(http, s).Artist(a)) : NotFound())));

        app.MapGet("/v1/albums/{id}", (HttpContext http, EmulatorState s, string id) => Serve(http, s, Endpoints.Albums, (_, _) =>
            Task.FromResult(s.Catalog.Album(id) is { } al
                ? Results.Json(ShapesFor(http, s).Album(al, [.. s.Catalog.Tracks.Where(t => t.Album.Id == al.Id)]))
                : NotFound())));

        // The batch endpoints development-mode apps lost in February 2026.
        app.MapGet("/v1/tracks", (HttpContext http, EmulatorState s) => Serve(http, s, Endpoints.Tracks, (_, _) => Task.FromResult(Batch(http, s, "tracks",
            id => s.Catalog.Track(id) is { } t ? ShapesFor(http, s).Track(t) : null))));
        app.MapGet("/v1/artists", (HttpContext http, EmulatorState s) => Serve(http, s, Endpoints.Artists, (_, _) => Task.FromResult(Batch(http, s, "artists",
            id => s.Catalog.Artist(id) is { } a ? ShapesFor(http, s).Artist(a) : null))));
        app.MapGet("/v1/albums", (HttpContext http, EmulatorState s) => Serve(http, s, Endpoints.Albums, (_, _) => Task.FromResult(Batch(http, s, "albums",
            id => s.Catalog.Album(id) is { } al ? ShapesFor(http, s).SimpleAlbum(al) : null))));

        app.MapGet("/images/{name}", (string name) =>
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
            var color = Convert.ToHexString(hash, 0, 3);
            var svg = $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\" fill=\"#{color}\"/></svg>";
            return Results.Content(svg, "image/svg+xml");
        });
    }

    /// <summary>Authenticates the bearer token, applies a pending fault, then answers.</summary>
    private static async Task<IResult> Serve(HttpContext http, EmulatorState s, string endpoint, Func<EmuUser, Fault?, Task<IResult>> answer)
    {
        var bearer = http.Request.Headers.Authorization.ToString();
        var (userId, error) = s.Authenticate(bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer[7..] : null);
        s.Record(endpoint, userId);
        if (userId is null)
        {
            return Error(401, error!);
        }

        var fault = s.Faults.Take(userId, endpoint);
        switch (fault?.Kind)
        {
            case FaultKind.Status:
                return Error(fault.StatusCode, fault.StatusCode >= 500 ? "Server error" : "Injected error");
            case FaultKind.RateLimit:
                http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return Error(429, "API rate limit exceeded");
            case FaultKind.ExpiredToken:
                return Error(401, "The access token expired");
            case FaultKind.Delay:
                await Task.Delay(fault.Delay, http.RequestAborted);
                break;
        }

        var user = s.FindUser(userId) ?? s.AddUser(userId);
        return await answer(user, fault);
    }

    private static IResult RecentlyPlayed(HttpContext http, EmulatorState s, EmuUser user, Fault? fault)
    {
        var q = http.Request.Query;
        var limit = ParseInt(q["limit"], 20);
        if (limit is < 1 or > 50)
        {
            return Error(400, "Invalid limit");
        }

        long? after = q.ContainsKey("after") ? ParseLong(q["after"]) : null;
        long? before = q.ContainsKey("before") ? ParseLong(q["before"]) : null;
        if (after is not null && before is not null)
        {
            return Error(400, "Only one of after and before may be given");
        }

        if (fault?.Kind == FaultKind.FullPage)
        {
            s.AppendPlays(user.Id, 50);
        }

        var plays = user.Plays;
        List<EmuPlay> page;
        bool more;
        if (after is not null)
        {
            // The oldest plays after the cursor, so a client that follows cursors.after misses none.
            var newer = plays.Where(p => p.PlayedAt.ToUnixTimeMilliseconds() > after).ToList();
            page = [.. newer.Take(limit)];
            more = newer.Count > limit;
        }
        else
        {
            var older = before is null ? plays : [.. plays.Where(p => p.PlayedAt.ToUnixTimeMilliseconds() < before)];
            page = [.. older.Skip(Math.Max(0, older.Count - limit))];
            more = older.Count > limit;
        }

        if (fault?.Kind == FaultKind.EmptyPage)
        {
            page = [];
            more = false;
        }

        page.Reverse();
        var shapes = ShapesFor(http, s);
        var api = ApiBase(http);
        var items = page.Select(p => new PlayHistoryObject(shapes.Track(s.Catalog.Track(p.TrackId)!), Shapes.Timestamp(p.PlayedAt), null)).ToList();
        var cursors = page.Count == 0 ? null : new CursorsObject(
            page[0].PlayedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            page[^1].PlayedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        string? next = null;
        if (more && cursors is not null)
        {
            next = after is not null
                ? $"{api}/v1/me/player/recently-played?after={cursors.After}&limit={limit}"
                : $"{api}/v1/me/player/recently-played?before={cursors.Before}&limit={limit}";
        }

        return Results.Json(new CursorPagingObject($"{api}{http.Request.Path}{http.Request.QueryString}", limit, next, cursors, null, items));
    }

    private static IResult Top(HttpContext http, EmulatorState s, EmuUser user, string type)
    {
        var q = http.Request.Query;
        var term = q.ContainsKey("time_range") ? q["time_range"].ToString() : "medium_term";
        var limit = ParseInt(q["limit"], 20);
        var offset = ParseInt(q["offset"], 0);
        if (Array.IndexOf(Terms, term) < 0 || limit is < 1 or > 50 || offset < 0 || (type != "tracks" && type != "artists"))
        {
            return Error(400, "Invalid request");
        }

        var salt = user.Seed ^ (Array.IndexOf(Terms, term) + 1) * 7919;
        var shapes = ShapesFor(http, s);
        var api = ApiBase(http);
        var href = $"{api}/v1/me/top/{type}?time_range={term}";
        const int total = 100;
        if (type == "tracks")
        {
            var ranked = s.Catalog.Tracks.OrderBy(t => Rank(salt, t.Id)).Take(total).Skip(offset).Take(limit).Select(t => shapes.Track(t)).ToList();
            return Results.Json(new PagingObject<TrackObject>(href, limit, offset + limit < total ? $"{href}&limit={limit}&offset={offset + limit}" : null, offset, null, total, ranked));
        }

        var artists = s.Catalog.Artists.OrderBy(a => Rank(salt, a.Id)).Take(total).Skip(offset).Take(limit).Select(shapes.Artist).ToList();
        return Results.Json(new PagingObject<ArtistObject>(href, limit, offset + limit < total ? $"{href}&limit={limit}&offset={offset + limit}" : null, offset, null, total, artists));
    }

    private static IResult Batch<T>(HttpContext http, EmulatorState s, string key, Func<string, T?> find)
        where T : class
    {
        if (s.Options.DevModeRestrictions)
        {
            return Error(403, "Forbidden");
        }

        var ids = http.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        return ids.Length is 0 or > 50
            ? Error(400, "Invalid ids")
            : Results.Json(new Dictionary<string, IReadOnlyList<T?>> { [key] = [.. ids.Select(find)] });
    }

    private static int Rank(int salt, string id) => StableHash(salt.ToString(CultureInfo.InvariantCulture) + id);

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
        {
            h = unchecked(h * 31 + c);
        }

        return h;
    }

    private static Shapes ShapesFor(HttpContext http, EmulatorState s) => new(ApiBase(http), s.Options.DevModeRestrictions);

    private static string ApiBase(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    private static IResult NotFound() => Error(404, "Resource not found");

    internal static IResult Error(int status, string message) =>
        Results.Json(new ErrorBody(new ErrorDetail(status, message)), statusCode: status);

    private static int ParseInt(string? s, int fallback) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static long? ParseLong(string? s) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
