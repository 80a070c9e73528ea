using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MyiV3.Data.Live;
using MyiV3.Web.Features.Account;

namespace MyiV3.Web.Live;

/// <summary>
/// A page that shows one user's data and follows it live: it loads in OnInitializedAsync, subscribes
/// to that user's events, and on events re-queries (throttled, through the circuit's dispatcher)
/// and re-renders. Unsubscribes on dispose. Load failures become <see cref="LoadError"/>, never a
/// broken circuit.
/// </summary>
public abstract partial class LiveComponentBase : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private RenderThrottle? _throttle;
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private bool _isDisposed;

    [Inject] protected UserNotifier Notifier { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;
    [Inject] private ILogger<LiveComponentBase> Logger { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    /// <summary>The signed-in user; null when signed out.</summary>
    protected long? UserId { get; private set; }

    /// <summary>Whether the signed-in user is the shared demo listener.</summary>
    protected bool IsDemo { get; private set; }

    /// <summary>False until the signed-in user (or its absence) is known; render nothing user-specific before.</summary>
    protected bool UserKnown { get; private set; }

    protected bool Loading { get; private set; } = true;

    /// <summary>A friendly message when the last load failed; the details are logged.</summary>
    protected string? LoadError { get; private set; }

    protected CancellationToken Disposing => _disposed.Token;

    /// <summary>Minimum time between two live refreshes.</summary>
    protected virtual TimeSpan LiveInterval => RenderThrottle.DefaultInterval;

    /// <summary>Live refreshes so far (tests).</summary>
    public int LiveRefreshes => _throttle?.Runs ?? 0;

    protected override async Task OnInitializedAsync()
    {
        var principal = AuthState is null ? null : (await AuthState).User;
        UserId = AccountSession.UserId(principal);
        IsDemo = AccountSession.IsDemo(principal);
        UserKnown = true;
        if (UserId is { } id)
        {
            _throttle = new RenderThrottle(() => InvokeAsync(RefreshAsync), LiveInterval, Time);
            _subscription = Notifier.Subscribe(id, OnUserEventAsync);
        }

        await SafeLoadAsync();
        Loading = false;
    }

    /// <summary>Re-query everything the page shows for <see cref="UserId"/>.</summary>
    protected abstract Task LoadAsync(CancellationToken ct);

    /// <summary>Whether an event concerns this page.</summary>
    protected virtual bool Wants(UserEvent e) => true;

    /// <summary>Reload now (e.g. after the user changed a filter).</summary>
    protected async Task ReloadAsync()
    {
        await SafeLoadAsync();
        StateHasChanged();
    }

    private Task OnUserEventAsync(UserEvent e)
    {
        if (Wants(e))
        {
            _throttle?.Signal();
        }

        return Task.CompletedTask;
    }

    private async Task RefreshAsync()
    {
        if (_isDisposed)
        {
            return;
        }

        await SafeLoadAsync();
        StateHasChanged();
    }

    private async Task SafeLoadAsync()
    {
        // Loads never overlap: an older query finishing after a newer one would otherwise put stale
        // figures back on the page (the final state of an import must win).
        try
        {
            await _loadGate.WaitAsync(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await LoadAsync(_disposed.Token);
            LoadError = null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A page shows a friendly message instead of a broken circuit.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLoadFailed(Logger, ex, GetType().Name);
            LoadError = "We could not load your statistics just now. Please try again in a moment.";
        }
        finally
        {
            _loadGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading {Page} failed")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex, string page);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && !_isDisposed)
        {
            _isDisposed = true;
            _subscription?.Dispose();
            _throttle?.Dispose();
            _disposed.Cancel();
        }
    }
}
