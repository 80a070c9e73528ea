using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MyiV3.SpotifyEmulator;

namespace MyiV3.Tests.Spotify;

/// <summary>The emulator itself behaves like Spotify where MyiV3 depends on it.</summary>
public sealed class EmulatorTests : IAsyncLifetime
{
    private EmulatorHost _emu = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async ValueTask InitializeAsync() => _emu = await EmulatorHost.StartAsync(new Dictionary<string, string?>
    {
        ["Emulator:InitialUsers"] = "2",
        ["Emulator:InitialPlaysPerUser"] = "120",
        ["Emulator:RotateRefreshTokenEvery"] = "2",
    });

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _emu.DisposeAsync();
    }

    [Fact]
    public async Task Authorization_code_with_PKCE_is_exchanged_and_a_wrong_verifier_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync("emu-user-1", Challenge(verifier), ct);
        var wrong = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Redirect, ["client_id"] = "myi-emulator", ["code_verifier"] = Base64Url(RandomNumberGenerator.GetBytes(32)) }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("invalid_grant", wrong.Json.GetProperty("error").GetString());

        // A refused attempt burns the code, as a real authorization server does.
        var code2 = await AuthorizeAsync("emu-user-1", Challenge(verifier), ct);
        var ok = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code2, ["redirect_uri"] = Redirect, ["client_id"] = "myi-emulator", ["code_verifier"] = verifier }, ct);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.False(string.IsNullOrEmpty(ok.Json.GetProperty("refresh_token").GetString()));
        var again = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code2, ["redirect_uri"] = Redirect, ["client_id"] = "myi-emulator", ["code_verifier"] = verifier }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
    }

    [Fact]
    public async Task Refresh_rotates_every_second_use_and_revocation_gives_invalid_grant()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, refresh) = await SignInAsync("emu-user-2", ct);
        var first = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "myi-emulator" }, ct);
        Assert.False(first.Json.TryGetProperty("refresh_token", out _));
        var second = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "myi-emulator" }, ct);
        var rotated = second.Json.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(refresh, rotated);
        var old = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "myi-emulator" }, ct);
        Assert.Equal("invalid_grant", old.Json.GetProperty("error").GetString());

        _emu.State.RevokeRefreshTokens("emu-user-2");
        var revoked = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = rotated, ["client_id"] = "myi-emulator" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, revoked.Status);
        Assert.Equal("invalid_grant", revoked.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Recently_played_pages_descend_and_the_after_cursor_walks_every_play_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (access, _) = await SignInAsync("emu-user-1", ct);
        var user = _emu.State.FindUser("emu-user-1")!;
        var all = user.Plays;
        long after = all[0].PlayedAt.ToUnixTimeMilliseconds() - 1;
        var seen = new List<DateTimeOffset>();
        for (var i = 0; i < 10; i++)
        {
            var page = await GetAsync(access, $"v1/me/player/recently-played?limit=50&after={after}", ct);
            var items = page.GetProperty("items").EnumerateArray().Select(x => DateTimeOffset.Parse(x.GetProperty("played_at").GetString()!, CultureInfo.InvariantCulture)).ToList();
            if (items.Count == 0)
            {
                break;
            }

            Assert.Equal(items.OrderDescending(), items);
            seen.AddRange(items);
            after = long.Parse(page.GetProperty("cursors").GetProperty("after").GetString()!, CultureInfo.InvariantCulture);
        }

        Assert.Equal(all.Select(p => p.PlayedAt).Order(), seen.Order());
        var latest = await GetAsync(access, "v1/me/player/recently-played?limit=50", ct);
        Assert.Equal(50, latest.GetProperty("items").GetArrayLength());
        Assert.Contains("before=", latest.GetProperty("next").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_mode_hides_genres_and_popularity_and_refuses_batch_endpoints()
    {
        var ct = TestContext.Current.CancellationToken;
        var (access, _) = await SignInAsync("emu-user-1", ct);
        var top = await GetAsync(access, "v1/me/top/artists?time_range=short_term&limit=50", ct);
        Assert.Equal(50, top.GetProperty("items").GetArrayLength());
        var artist = top.GetProperty("items")[0];
        Assert.False(artist.TryGetProperty("genres", out _));
        Assert.False(artist.TryGetProperty("popularity", out _));
        var one = await GetAsync(access, $"v1/artists/{artist.GetProperty("id").GetString()}", ct);
        Assert.Equal(artist.GetProperty("name").GetString(), one.GetProperty("name").GetString());

        using var batch = new HttpRequestMessage(HttpMethod.Get, new Uri(_emu.BaseUri, $"v1/artists?ids={artist.GetProperty("id").GetString()}"));
        batch.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        using var res = await _http.SendAsync(batch, ct);
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
    }

    [Fact]
    public async Task Queued_faults_hit_only_their_user_and_endpoint_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var (access, _) = await SignInAsync("emu-user-1", ct);
        var (other, _) = await SignInAsync("emu-user-2", ct);
        _emu.State.Faults.Enqueue(Fault.RateLimit(30), "emu-user-1", Endpoints.RecentlyPlayed);
        _emu.State.Faults.Enqueue(Fault.Status(503), "emu-user-1", Endpoints.RecentlyPlayed);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(other, "v1/me/player/recently-played", ct)).StatusCode);
        using var r1 = await SendAsync(access, "v1/me/player/recently-played", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, r1.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), r1.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(access, "v1/me/player/recently-played", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(access, "v1/me/player/recently-played", ct)).StatusCode);

        _emu.State.ExpireAccessTokens("emu-user-1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(access, "v1/me", ct)).StatusCode);
    }

    private const string Redirect = "http://127.0.0.1:1/account/callback";

    private async Task<string> AuthorizeAsync(string user, string challenge, CancellationToken ct)
    {
        var page = await _http.GetStringAsync(new Uri(_emu.BaseUri, $"authorize?client_id=myi-emulator&response_type=code&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s1&code_challenge_method=S256&code_challenge={challenge}&scope=user-read-recently-played"), ct);
        Assert.Contains($"value=\"{user}\"", page, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "myi-emulator", ["redirect_uri"] = Redirect, ["state"] = "s1", ["scope"] = "user-read-recently-played",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["user"] = user,
        });
        using var res = await _http.PostAsync(new Uri(_emu.BaseUri, "authorize"), form, ct);
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var location = res.Headers.Location!.ToString();
        Assert.StartsWith(Redirect, location, StringComparison.Ordinal);
        Assert.Contains("state=s1", location, StringComparison.Ordinal);
        return Uri.UnescapeDataString(location.Split("code=")[1].Split('&')[0]);
    }

    private async Task<(string Access, string Refresh)> SignInAsync(string user, CancellationToken ct)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync(user, Challenge(verifier), ct);
        var ok = await TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Redirect, ["client_id"] = "myi-emulator", ["code_verifier"] = verifier }, ct);
        return (ok.Json.GetProperty("access_token").GetString()!, ok.Json.GetProperty("refresh_token").GetString()!);
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> TokenAsync(Dictionary<string, string> form, CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent(form);
        using var res = await _http.PostAsync(new Uri(_emu.BaseUri, "api/token"), content, ct);
        var json = JsonDocument.Parse(await res.Content.ReadAsStringAsync(ct)).RootElement.Clone();
        return (res.StatusCode, json);
    }

    private async Task<HttpResponseMessage> SendAsync(string access, string path, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(_emu.BaseUri, path));
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return await _http.SendAsync(req, ct);
    }

    private async Task<JsonElement> GetAsync(string access, string path, CancellationToken ct)
    {
        using var res = await SendAsync(access, path, ct);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync(ct)).RootElement.Clone();
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
