using Microsoft.AspNetCore.Components;
using MyiV3.Data.Live;
using MyiV3.Data.Stats;
using MyiV3.Web.Live;

namespace MyiV3.Web.Features.Library;

/// <summary>A track, artist or album page: reloads when its id changes and, live, when the user's stats move.</summary>
public abstract class LibraryPageBase : LiveComponentBase
{
    private long _loadedId;

    [Parameter] public long Id { get; set; }

    [Inject] protected LibraryQueries Library { get; set; } = default!;
    [Inject] protected DashboardQueries Dashboard { get; set; } = default!;

    protected TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>True once a load found no such item.</summary>
    protected bool NotFound { get; set; }

    protected override bool Wants(UserEvent e) => e is StatsChanged;

    protected override async Task OnParametersSetAsync()
    {
        if (UserKnown && _loadedId != Id)
        {
            await ReloadAsync();
        }
    }

    protected override async Task LoadAsync(CancellationToken ct)
    {
        _loadedId = Id;
        if (UserId is not { } user)
        {
            return;
        }

        Zone = await Dashboard.TimeZoneAsync(user, ct);
        NotFound = !await LoadItemAsync(user, ct);
    }

    /// <returns>False when the item does not exist.</returns>
    protected abstract Task<bool> LoadItemAsync(long userId, CancellationToken ct);
}
