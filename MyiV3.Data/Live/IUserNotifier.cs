namespace MyiV3.Data.Live;

/// <summary>Something changed for a user that open pages of that user may want to show.</summary>
public abstract record UserEvent(long UserId);

/// <summary>An ingestion batch committed: the user's stats tables moved.</summary>
public sealed record StatsChanged(long UserId, int PlaysAdded) : UserEvent(UserId);

/// <summary>An import job's counters or status changed.</summary>
public sealed record ImportProgressed(long UserId, long ImportJobId) : UserEvent(UserId);

/// <summary>
/// Background work publishes here; the web layer implements it (and fans out to circuits).
/// Publishing never blocks and never throws into the publisher.
/// </summary>
public interface IUserNotifier
{
    void Publish(UserEvent e);
}
