using System.Collections.Concurrent;
using MyiV3.Data.Live;

namespace MyiV3.Tests.Fixtures;

public sealed class RecordingNotifier : IUserNotifier
{
    public ConcurrentQueue<UserEvent> Events { get; } = new();

    public void Publish(UserEvent e) => Events.Enqueue(e);
}
