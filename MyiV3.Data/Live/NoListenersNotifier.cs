namespace MyiV3.Data.Live;

/// <summary>The notifier of a process with no open pages (command line, benchmarks): nobody to tell.</summary>
public sealed class NoListenersNotifier : IUserNotifier
{
    public void Publish(UserEvent e)
    {
    }
}
