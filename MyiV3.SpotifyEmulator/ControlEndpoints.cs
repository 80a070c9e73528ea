namespace MyiV3.SpotifyEmulator;

/// <summary>
/// A small control API for a stand-alone emulator (scripts, the benchmark): add users and plays,
/// inject faults. In-process tests use <see cref="EmulatorState"/> directly.
/// </summary>
internal static class ControlEndpoints
{
    public sealed record NewUser(string Id, string? DisplayName, int Plays);

    public sealed record NewFault(FaultKind Kind, string? UserId, string? Endpoint, int Times = 1, int StatusCode = 500, int RetryAfterSeconds = 1, int DelayMs = 0);

    public static void MapControl(this WebApplication app)
    {
        var g = app.MapGroup("/emulator");
        g.MapGet("/users", (EmulatorState s) => s.Users.Select(u => new { u.Id, u.DisplayName, Plays = u.Plays.Count }));
        g.MapPost("/users", (EmulatorState s, NewUser u) =>
        {
            var user = s.AddUser(u.Id, u.DisplayName, u.Plays);
            return Results.Ok(new { user.Id, Plays = user.Plays.Count });
        });
        g.MapPost("/users/{id}/plays", (EmulatorState s, string id, int count) =>
            s.FindUser(id) is null ? Results.NotFound() : Results.Ok(s.AppendPlays(id, count)));
        g.MapPost("/users/{id}/revoke", (EmulatorState s, string id) =>
        {
            s.RevokeRefreshTokens(id);
            return Results.NoContent();
        });
        g.MapPost("/faults", (EmulatorState s, NewFault f) =>
        {
            s.Faults.Enqueue(new Fault(f.Kind, f.StatusCode, f.RetryAfterSeconds, TimeSpan.FromMilliseconds(f.DelayMs)), f.UserId, f.Endpoint, f.Times);
            return Results.NoContent();
        });
        g.MapDelete("/faults", (EmulatorState s) =>
        {
            s.Faults.Clear();
            return Results.NoContent();
        });
        g.MapGet("/requests", (EmulatorState s) =>
        {
            var requests = s.Requests;
            return new
            {
                Total = requests.Count,
                PerEndpoint = requests.GroupBy(r => r.Endpoint).ToDictionary(x => x.Key, x => x.Count()),
                MaxPerMinute = MaxPerWindow(requests, TimeSpan.FromMinutes(1)),
            };
        });
    }

    /// <summary>The most requests (token calls excluded) in any sliding window of the given width.</summary>
    public static int MaxPerWindow(IReadOnlyList<RequestRecord> requests, TimeSpan window)
    {
        var times = requests.Where(r => r.Endpoint != Endpoints.Token).Select(r => r.At).Order().ToList();
        var best = 0;
        var start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window)
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }
}
