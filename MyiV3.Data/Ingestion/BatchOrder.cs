namespace MyiV3.Data.Ingestion;

/// <summary>
/// How an import's batch follows the one before it: that batch, still running, when this one may write its events
/// meanwhile (null when it starts only after that one's commit); and a signal, for the batch after, once this one holds
/// the user's lock.
/// </summary>
/// <remarks>
/// A batch asks for the user's lock only once the batch before holds it. Otherwise a sync waiting for the lock
/// exclusively between the two would queue the earlier batch behind itself and itself behind the later one, which
/// waits for the earlier one here, where PostgreSQL's deadlock detector cannot see it.
/// </remarks>
internal sealed class BatchOrder(Task<BatchResult>? previous, Task? previousLocked)
{
    private readonly TaskCompletionSource _locked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<BatchResult>? Previous { get; } = previous;

    /// <summary>Completes once this batch holds the user's lock, or has ended without it.</summary>
    public Task Locked => _locked.Task;

    public void HasLocked() => _locked.TrySetResult();

    /// <summary>Waits until the batch before holds the user's lock (or has ended).</summary>
    public Task BeforeLockAsync() =>
        Previous is null || previousLocked is null ? Task.CompletedTask : Task.WhenAny(previousLocked, Previous);

    /// <summary>Waits for the batch before to commit (throws what it threw).</summary>
    public Task JoinAsync() => Previous ?? Task.CompletedTask;
}
