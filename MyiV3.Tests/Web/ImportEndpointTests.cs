using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Web;

public sealed partial class ImportEndpointTests(SmallUploadAppFixture app) : IClassFixture<SmallUploadAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>A signed-in client (cookie) and the antiforgery token a page of the app gave it.</summary>
    private async Task<(HttpClient Client, string Token)> SignedInAsync(long userId)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = app.BaseUri };
        (await client.GetAsync(new Uri($"testing/signin/{userId.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative), Ct)).Dispose();
        var html = await client.GetStringAsync(new Uri("import", UriKind.Relative), Ct);
        var token = TokenField().Match(html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "no antiforgery token on the page");
        return (client, WebUtility.HtmlDecode(token));
    }

    private static HttpRequestMessage Upload(string fileName, HttpContent body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/imports", UriKind.Relative)) { Content = body };
        request.Headers.Add("X-File-Name", Uri.EscapeDataString(fileName));
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return request;
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString()!;

    [Fact]
    public async Task An_upload_is_streamed_into_a_pending_import_job_of_the_signed_in_user()
    {
        var user = await TestUsers.CreateAsync(app.Db);
        var (client, token) = await SignedInAsync(user);
        var zip = E2E.E2E.Zip(E2E.E2E.History(plays: 300, years: 1, seed: 9), out _);
        Assert.True(zip.Length < SmallUploadAppFixture.Limit);

        using var response = await client.SendAsync(Upload("my_spotify_data.zip", new ByteArrayContent(zip), token), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("jobId").GetInt64();
        Assert.Equal(user, await app.Db.ScalarAsync<long>("SELECT user_id FROM import_jobs WHERE id = $1", jobId));
        Assert.Equal((long)zip.Length, await app.Db.ScalarAsync<long>("SELECT file_size FROM import_jobs WHERE id = $1", jobId));
        await E2E.E2E.WaitForJobAsync(app, jobId, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Uploads_past_the_size_limit_are_refused_with_a_clear_message()
    {
        var user = await TestUsers.CreateAsync(app.Db);
        var (client, token) = await SignedInAsync(user);
        var big = new byte[SmallUploadAppFixture.Limit + 1];

        // Declared length over the limit: refused before a byte is read.
        using var declared = await client.SendAsync(Upload("big.zip", new ByteArrayContent(big), token), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Contains("larger than this server accepts (195.3 KB)", await ErrorAsync(declared), StringComparison.Ordinal);

        // No declared length (chunked): refused while it streams in, nothing kept.
        using var chunked = await client.SendAsync(Upload("big.zip", new StreamContent(new MemoryStream(big)), token), Ct);
        Assert.True(chunked.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, chunked.StatusCode.ToString());
        Assert.Contains("limit", (await ErrorAsync(chunked)).Replace("accepts", "limit", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
        Assert.Empty(Directory.Exists(app.UploadDirectory) ? Directory.GetFiles(app.UploadDirectory) : []);
    }

    [Fact]
    public async Task Uploads_without_the_antiforgery_token_or_sign_in_are_refused()
    {
        var user = await TestUsers.CreateAsync(app.Db);
        var (client, _) = await SignedInAsync(user);
        using var noToken = await client.SendAsync(Upload("a.json", new ByteArrayContent("[]"u8.ToArray()), token: null), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("security token", await ErrorAsync(noToken), StringComparison.Ordinal);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseUri };
        using var signedOut = await anonymous.SendAsync(Upload("a.json", new ByteArrayContent("[]"u8.ToArray()), "x"), Ct);
        Assert.NotEqual(HttpStatusCode.Accepted, signedOut.StatusCode);
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE user_id = $1", user));
    }
}
