namespace MyiV3.Web.Live;

/// <summary>
/// Coalesces bursts of signals into at most one run per interval, and always runs once more after
/// the last signal (the trailing update), so a page shows the final state of an import without
/// re-rendering for every batch.
/// </summary>
public sealed class RenderThrottle(Func<Task> run, TimeSpan minInterval, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cts = new();
    private bool _scheduled;
    private long _lastRunTimestamp = long.MinValue;

    /// <summary>Runs so far (tests and diagnostics).</summary>
    public int Runs { get; private set; }

    public void Signal()
    {
        TimeSpan delay;
        lock (_gate)
        {
            if (_scheduled || _cts.IsCancellationRequested)
            {
                return; // the pending run will see whatever this signal announced
            }

            _scheduled = true;
            delay = _lastRunTimestamp == long.MinValue
                ? TimeSpan.Zero
                : minInterval - time.GetElapsedTime(_lastRunTimestamp);
        }

        _ = RunLaterAsync(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
    }

    private async Task RunLaterAsync(TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, _cts.Token);
            }

            lock (_gate)
            {
                // Signals from here on schedule another run: the trailing update is never lost.
                _scheduled = false;
                _lastRunTimestamp = time.GetTimestamp();
                Runs++;
            }

            await run();
        }
        catch (OperationCanceledException)
        {
            // disposed while waiting
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _cts.Cancel();
        }

        _cts.Dispose();
    }
}
