using Microsoft.Extensions.Time.Testing;
using MyiV3.Web.Live;

namespace MyiV3.Tests.Web.Live;

public sealed class RenderThrottleTests
{
    [Fact]
    public async Task A_burst_runs_once_at_once_and_once_more_after_the_interval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var runs = 0;
        using var throttle = new RenderThrottle(() => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(250), time);

        throttle.Signal(); // first signal runs immediately
        await WaitUntil(() => Volatile.Read(ref runs) == 1);
        for (var i = 0; i < 100; i++)
        {
            throttle.Signal();
        }

        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref runs)); // coalesced, not yet due

        time.Advance(TimeSpan.FromMilliseconds(150));
        await WaitUntil(() => Volatile.Read(ref runs) == 2); // the trailing run

        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(2, Volatile.Read(ref runs)); // nothing more without signals
    }

    [Fact]
    public async Task A_signal_during_a_run_schedules_a_trailing_run()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var inRun = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var runs = 0;
        using var throttle = new RenderThrottle(async () =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                inRun.TrySetResult();
                await release.Task;
            }
        }, TimeSpan.FromMilliseconds(250), time);

        throttle.Signal();
        await inRun.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        throttle.Signal(); // arrives while the first run is still querying
        release.SetResult();
        time.Advance(TimeSpan.FromMilliseconds(250));
        await WaitUntil(() => Volatile.Read(ref runs) == 2);
    }

    [Fact]
    public async Task Disposing_cancels_a_pending_run()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var runs = 0;
        var throttle = new RenderThrottle(() => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(250), time);
        throttle.Signal();
        await WaitUntil(() => Volatile.Read(ref runs) == 1);
        throttle.Signal();
        throttle.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        throttle.Signal();
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not reached in 5 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
