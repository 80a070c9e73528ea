using System.Globalization;
using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MyiV3.Data.Live;
using MyiV3.Data.Stats;
using MyiV3.Tests.Data.Stats;
using MyiV3.Tests.Fixtures;
using MyiV3.Web.Features.Account;
using MyiV3.Web.Features.Dashboard;
using MyiV3.Web.Live;

namespace MyiV3.Tests.Web.Components;

/// <summary>The dashboard component against the real test database (no stand-ins for the queries).</summary>
public sealed class DashboardComponentTests : MudTestContext, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _fixture;
    private readonly UserNotifier _notifier = new(NullLogger<UserNotifier>.Instance);

    public DashboardComponentTests(DatabaseFixture fixture)
    {
        _fixture = fixture;
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(StatsScenario.Now));
        Services.AddSingleton(_notifier);
        Services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Services.AddSingleton<DemoAccount>();
        Services.AddSingleton(fixture.Db.Factory);
    }

    private void UseDatabase(Npgsql.NpgsqlDataSource dataSource) =>
        Services.AddSingleton(sp => new DashboardQueries(dataSource, sp.GetRequiredService<TimeProvider>()));

    private void SignIn(long userId)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone");
        auth.SetClaims(new Claim(AccountSession.UserIdClaim, userId.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_dashboard_shows_totals_top_lists_and_gives_every_chart_its_series()
    {
        UseDatabase(_fixture.Db.DataSource);
        var s = await StatsScenario.SeedAsync(_fixture.Db);
        SignIn(s.User);

        var cut = Render<Dashboard>();
        cut.WaitForAssertion(() => Assert.Equal("22", cut.Find("[data-stat='plays']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("3", cut.Find("[data-stat='tracks']").TextContent);
        Assert.Equal("14%", cut.Find("[data-stat='skips']").TextContent);
        // Averaged over the days from the first play to the last (65), whichever bucket the activity chart shows.
        Assert.Equal(MyiV3.Web.Components.Ui.Fmt.Hours(22 * 180_000 / 65), cut.Find("[data-stat='perday']").TextContent);
        Assert.Equal(["One", "Three", "Two"], cut.FindAll("[data-list='track'] .myi-toplist__name").Select(e => e.TextContent));
        Assert.Equal("https://img.example/cover.jpg", cut.Find("[data-list='track'] img").GetAttribute("src"));
        Assert.NotEmpty(cut.FindAll("[data-list='artist'] .myi-cover--placeholder")); // Pop Star has no image

        var charts = cut.FindComponents<MudChart<double>>().Select(c => c.Instance).ToList();
        var activity = charts.Single(c => c.ChartType == ChartType.Line);
        Assert.Equal([9d, 0, 13], activity.ChartSeries.Single().Data.Values);
        var hours = charts.Single(c => c.ChartType == ChartType.Bar);
        Assert.Equal(20d, hours.ChartSeries.Single().Data.Values[10]);
        var heat = charts.Single(c => c.ChartType == ChartType.HeatMap);
        Assert.Equal(7, heat.ChartSeries.Count);
        Assert.Equal(9d, heat.ChartSeries[2].Data.Values[10]);
        var genres = charts.Single(c => c.ChartType == ChartType.Donut);
        Assert.Equal(["indie", "rock", "pop"], genres.ChartLabels);
        Assert.Contains("Not synced yet", cut.Find("[data-list='spotify-top']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_plays_sees_empty_states_not_errors()
    {
        UseDatabase(_fixture.Db.DataSource);
        var user = await new StatsSeed(_fixture.Db).UserAsync();
        SignIn(user);

        var cut = Render<Dashboard>();
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-stat='plays']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("No plays in this period", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Nothing here yet", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("No genres yet", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindComponents<MudChart<double>>());
        Assert.Empty(cut.FindAll("#load-error"));
    }

    [Fact]
    public async Task When_the_database_is_unreachable_the_page_shows_a_friendly_error()
    {
        var broken = await PostgresCluster.Current.CreateDatabaseAsync();
        var user = await new StatsSeed(broken).UserAsync();
        await PostgresCluster.Current.DropDatabaseAsync(broken.Name);
        UseDatabase(broken.DataSource);
        SignIn(user);

        var cut = Render<Dashboard>();
        cut.WaitForAssertion(() => Assert.Contains("could not load your statistics", cut.Find("#load-error").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("Exception", cut.Markup, StringComparison.Ordinal);
        await broken.DataSource.DisposeAsync();
    }

    [Fact]
    public async Task The_dashboard_follows_stats_changes_live_and_unsubscribes_on_dispose()
    {
        UseDatabase(_fixture.Db.DataSource);
        var seed = new StatsSeed(_fixture.Db);
        var user = await seed.UserAsync(totalPlays: 5, totalMs: 1_000_000);
        SignIn(user);

        var cut = Render<Dashboard>();
        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("[data-stat='plays']").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal(1, _notifier.SubscriberCount(user));

        await _fixture.Db.ExecuteAsync("UPDATE users SET total_play_count = 1234 WHERE id = $1", user);
        _notifier.Publish(new StatsChanged(user + 1, 1)); // someone else's: ignored
        await Task.Delay(400, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("5", cut.Find("[data-stat='plays']").TextContent);
        _notifier.Publish(new StatsChanged(user, 1229));
        cut.WaitForAssertion(() => Assert.Equal("1,234", cut.Find("[data-stat='plays']").TextContent), TimeSpan.FromSeconds(10));

        await DisposeComponentsAsync();
        Assert.Equal(0, _notifier.SubscriberCount(user));
    }
}
