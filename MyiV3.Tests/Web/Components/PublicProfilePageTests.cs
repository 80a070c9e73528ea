using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MyiV3.Data.Entities;
using MyiV3.Data.Stats;
using MyiV3.Tests.Fixtures;
using MyiV3.Web.Features.Profile;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Web.Components;

/// <summary>The public profile page (/u/&lt;spotify id&gt;) against the real test database, as an anonymous visitor.</summary>
public sealed class PublicProfilePageTests : MudTestContext, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _fixture;

    public PublicProfilePageTests(DatabaseFixture fixture)
    {
        _fixture = fixture;
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(At("2024-06-02T12:00:00Z")));
        Services.AddSingleton(sp => new DashboardQueries(fixture.Db.DataSource, sp.GetRequiredService<TimeProvider>()));
        Services.AddSingleton(new ProfileQueries(fixture.Db.DataSource));
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<string> UserAsync(bool isPublic, bool showRecent)
    {
        var user = await TestUsers.CreateAsync(_fixture.Db);
        var (engine, _, _) = EngineFactory.Create(_fixture.Db);
        await engine.IngestAsync(user, PlaySource.Import,
        [
            Track("1uLU6hMCjMI75M1A2tKUQC", At("2024-06-01T10:00:00Z"), 200_000, artist: "Shared Artist"),
            Track("1uLU6hMCjMI75M1A2tKUQC", At("2024-06-01T11:00:00Z"), 200_000, artist: "Shared Artist"),
            Track("2GhIk7Il098yCjg4BQjzvb", At("2024-06-01T12:00:00Z"), 100_000, artist: "Other Artist"),
        ], Ct);
        await _fixture.Db.ExecuteAsync(
            "INSERT INTO user_settings (user_id, is_profile_public, show_recent_plays) VALUES ($1, $2, $3) " +
            "ON CONFLICT (user_id) DO UPDATE SET is_profile_public = EXCLUDED.is_profile_public, show_recent_plays = EXCLUDED.show_recent_plays",
            user, isPublic, showRecent);
        return (await _fixture.Db.ScalarAsync<string>("SELECT spotify_id FROM users WHERE id = $1", user))!;
    }

    [Fact]
    public async Task A_public_profile_shows_totals_top_lists_and_recent_plays_without_links_into_private_pages()
    {
        var id = await UserAsync(isPublic: true, showRecent: true);

        var cut = Render<PublicProfilePage>(p => p.Add(x => x.SpotifyId, id));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-stat='plays']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("2", cut.Find("[data-stat='tracks']").TextContent);
        Assert.Contains("Track 1uLU6hMCjMI75M1A2tKUQC", cut.Find("[data-list='track']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Shared Artist", cut.Find("[data-list='artist']").TextContent, StringComparison.Ordinal);
        Assert.Equal(3, cut.FindAll("[data-list='latest'] li").Count);
        Assert.Empty(cut.FindAll("a.myi-toplist__name"));
        Assert.Empty(cut.FindAll("a.myi-toplist__sub"));
    }

    [Fact]
    public async Task Recent_plays_stay_hidden_unless_the_owner_shows_them()
    {
        var id = await UserAsync(isPublic: true, showRecent: false);

        var cut = Render<PublicProfilePage>(p => p.Add(x => x.SpotifyId, id));

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-stat='plays']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-list='latest']"));
    }

    [Fact]
    public async Task A_private_profile_and_an_unknown_one_look_the_same_and_show_nothing()
    {
        var id = await UserAsync(isPublic: false, showRecent: true);

        foreach (var asked in new[] { id, "no-such-user-anywhere" })
        {
            var cut = Render<PublicProfilePage>(p => p.Add(x => x.SpotifyId, asked));
            cut.WaitForAssertion(() => Assert.Contains("This profile is private", cut.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Assert.Empty(cut.FindAll("[data-stat]"));
            Assert.DoesNotContain("Track 1uLU6hMCjMI75M1A2tKUQC", cut.Markup, StringComparison.Ordinal);
        }
    }
}
