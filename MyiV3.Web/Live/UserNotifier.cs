using System.Collections.Immutable;
using MyiV3.Data.Live;

namespace MyiV3.Web.Live;

/// <summary>
/// The per-user fan-out from background work to open pages. Publishing copies nothing but a
/// reference to an immutable subscriber list, hands each handler to the thread pool and returns:
/// a slow or failing page never holds up an ingestion batch. Events of one user reach only that
/// user's subscriptions.
/// </summary>
public sealed partial class UserNotifier(ILogger<UserNotifier> logger) : IUserNotifier
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<long, ImmutableArray<Subscription>> _byUser = ImmutableDictionary<long, ImmutableArray<Subscription>>.Empty;

    /// <summary>Calls <paramref name="handler"/> for every event of <paramref name="userId"/> until disposed.</summary>
    public IDisposable Subscribe(long userId, Func<UserEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, userId, handler);
        lock (_gate)
        {
            var list = _byUser.GetValueOrDefault(userId, []);
            _byUser = _byUser.SetItem(userId, list.Add(subscription));
        }

        return subscription;
    }

    /// <summary>How many pages listen for a user (tests and diagnostics).</summary>
    public int SubscriberCount(long userId) => Volatile.Read(ref _byUser).GetValueOrDefault(userId, []).Length;

    public void Publish(UserEvent e)
    {
        if (e is null)
        {
            return;
        }

        var subscribers = Volatile.Read(ref _byUser).GetValueOrDefault(e.UserId, []);
        foreach (var s in subscribers)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.s.DeliverAsync(state.e), (s, e), preferLocal: false);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(subscription.UserId, out var list))
            {
                return;
            }

            list = list.Remove(subscription);
            _byUser = list.IsEmpty ? _byUser.Remove(subscription.UserId) : _byUser.SetItem(subscription.UserId, list);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-update handler for user {UserId} failed on {EventType}")]
    private partial void LogHandlerFailed(Exception ex, long userId, string eventType);

    private sealed class Subscription(UserNotifier owner, long userId, Func<UserEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public long UserId { get; } = userId;

        public async Task DeliverAsync(UserEvent e)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            try
            {
                await handler(e);
            }
#pragma warning disable CA1031 // A page's failure must never travel back into the publisher.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                owner.LogHandlerFailed(ex, UserId, e.GetType().Name);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(this);
            }
        }
    }
}
