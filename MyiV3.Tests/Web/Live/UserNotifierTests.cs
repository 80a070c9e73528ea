using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data.Live;
using MyiV3.Web.Live;

namespace MyiV3.Tests.Web.Live;

public sealed class UserNotifierTests
{
    private readonly UserNotifier _notifier = new(NullLogger<UserNotifier>.Instance);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_reach_every_subscription_of_that_user_and_no_other_user()
    {
        var a1 = new TaskCompletionSource<UserEvent>();
        var a2 = new TaskCompletionSource<UserEvent>();
        var b = new ConcurrentQueue<UserEvent>();
        using var s1 = _notifier.Subscribe(1, e => { a1.TrySetResult(e); return Task.CompletedTask; });
        using var s2 = _notifier.Subscribe(1, e => { a2.TrySetResult(e); return Task.CompletedTask; });
        using var s3 = _notifier.Subscribe(2, e => { b.Enqueue(e); return Task.CompletedTask; });

        var sent = new StatsChanged(1, 500);
        _notifier.Publish(sent);

        Assert.Same(sent, await a1.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.Same(sent, await a2.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        await Task.Delay(100, Ct);
        Assert.Empty(b);
    }

    [Fact]
    public async Task Disposing_a_subscription_stops_its_events()
    {
        var count = 0;
        var sub = _notifier.Subscribe(7, _ => { Interlocked.Increment(ref count); return Task.CompletedTask; });
        Assert.Equal(1, _notifier.SubscriberCount(7));
        sub.Dispose();
        sub.Dispose();
        Assert.Equal(0, _notifier.SubscriberCount(7));
        _notifier.Publish(new StatsChanged(7, 1));
        await Task.Delay(100, Ct);
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task A_blocked_or_failing_handler_never_blocks_or_throws_into_the_publisher()
    {
        var gate = new ManualResetEventSlim(false);
        var delivered = new TaskCompletionSource();
        using var blocked = _notifier.Subscribe(3, _ => { gate.Wait(TimeSpan.FromSeconds(10)); return Task.CompletedTask; });
        using var failing = _notifier.Subscribe(3, _ => throw new InvalidOperationException("page broke"));
        using var healthy = _notifier.Subscribe(3, _ => { delivered.TrySetResult(); return Task.CompletedTask; });

        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            _notifier.Publish(new ImportProgressed(3, i));
        }

        Assert.True(sw.ElapsedMilliseconds < 1000, $"Publishing took {sw.ElapsedMilliseconds} ms");
        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        gate.Set();
    }

    [Fact]
    public async Task Concurrent_subscribe_publish_and_dispose_lose_no_subscription()
    {
        var received = new ConcurrentDictionary<long, int>();
        var subs = new ConcurrentBag<IDisposable>();
        await Parallel.ForAsync(0, 200, Ct, (i, _) =>
        {
            var user = i % 10;
            subs.Add(_notifier.Subscribe(user, e => { received.AddOrUpdate(e.UserId, 1, (_, n) => n + 1); return Task.CompletedTask; }));
            _notifier.Publish(new StatsChanged(99, 1)); // nobody listens to 99
            return ValueTask.CompletedTask;
        });
        Assert.Equal(200, Enumerable.Range(0, 10).Sum(u => _notifier.SubscriberCount(u)));
        foreach (var s in subs)
        {
            s.Dispose();
        }

        Assert.Equal(0, Enumerable.Range(0, 10).Sum(u => _notifier.SubscriberCount(u)));
        Assert.False(received.ContainsKey(99));
    }
}
