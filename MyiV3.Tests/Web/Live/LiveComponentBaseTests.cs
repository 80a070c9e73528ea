using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Live;
using MyiV3.Web.Features.Account;
using MyiV3.Web.Live;

namespace MyiV3.Tests.Web.Live;

public sealed class LiveComponentBaseTests : BunitContext
{
    private readonly UserNotifier _notifier = new(NullLogger<UserNotifier>.Instance);

    public LiveComponentBaseTests()
    {
        Services.AddSingleton(_notifier);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    }

    private void SignIn(long userId)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone");
        auth.SetClaims(new Claim(AccountSession.UserIdClaim, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_component_subscribes_on_init_and_unsubscribes_on_dispose()
    {
        SignIn(42);
        var probe = Render<LiveProbe>().Instance;
        Assert.Equal(1, probe.Loads);
        Assert.Equal(1, _notifier.SubscriberCount(42));

        await DisposeComponentsAsync();
        Assert.Equal(0, _notifier.SubscriberCount(42));
        _notifier.Publish(new StatsChanged(42, 1));
        await Task.Delay(300, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(1, probe.Loads);
    }

    [Fact]
    public void A_burst_of_events_is_coalesced_into_few_renders_ending_with_a_trailing_one()
    {
        SignIn(5);
        var cut = Render<LiveProbe>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            _notifier.Publish(new StatsChanged(5, 1));
            Thread.Sleep(5);
        }

        var elapsed = sw.Elapsed;
        // The trailing refresh after the last event always happens…
        cut.WaitForAssertion(() => Assert.Equal(cut.Instance.LiveRefreshes + 1, cut.Instance.Loads), TimeSpan.FromSeconds(5));
        Thread.Sleep(400);
        var refreshes = cut.Instance.LiveRefreshes;
        // …but at most one per 250 ms (plus the immediate first one), not one per event.
        Assert.InRange(refreshes, 2, (int)(elapsed.TotalMilliseconds / 250) + 2);
        cut.WaitForAssertion(() => Assert.Equal((refreshes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("#loads").TextContent));
    }

    [Fact]
    public void Other_users_and_unwanted_events_do_not_refresh_the_page()
    {
        SignIn(8);
        var cut = Render<LiveProbe>();
        _notifier.Publish(new StatsChanged(9, 1));
        _notifier.Publish(new ImportProgressed(8, 1));
        Thread.Sleep(300);
        Assert.Equal(1, cut.Instance.Loads);
        _notifier.Publish(new StatsChanged(8, 1));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.Instance.Loads));
    }

    [Fact]
    public void A_signed_out_visitor_is_not_subscribed()
    {
        AddAuthorization().SetNotAuthorized();
        var cut = Render<LiveProbe>();
        Assert.Equal(1, cut.Instance.Loads);
        Assert.Equal(0, _notifier.SubscriberCount(0));
    }
}
