using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;
using MyiV3.Jobs.Spotify;
using MyiV3.Jobs.Sync;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Spotify;

/// <summary>An operator replaces the token key: stored tokens no longer decrypt.</summary>
public sealed class TokenKeyLossTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private EmulatorHost _emu = null!;

    public async ValueTask InitializeAsync() => _emu = await EmulatorHost.StartAsync(new Dictionary<string, string?>
    {
        ["Emulator:InitialUsers"] = "0",
    });

    public async ValueTask DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task A_token_sealed_under_a_lost_key_quarantines_that_user_with_a_clear_log_and_the_others_still_sync()
    {
        var ct = TestContext.Current.CancellationToken;
        _emu.State.AddUser("lost-key", "Lost", 10);
        _emu.State.AddUser("kept-key", "Kept", 10);
        long lostId;
        await using (var old = await SpotifyHarness.CreateAsync(fixture.Db, _emu, new Dictionary<string, string?>
        {
            ["Spotify:TokenKeys:1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }))
        {
            lostId = (await old.SignInAsync("lost-key", ct)).Id;
        }

        await using var h = await SpotifyHarness.CreateAsync(fixture.Db, _emu, new Dictionary<string, string?> { ["Spotify:SyncCooldown"] = "00:00:00" },
            more: s =>
            {
                s.AddSingleton<IUserNotifier>(new RecordingNotifier());
                s.AddMyiIngestion();
            });
        var keptId = (await h.SignInAsync("kept-key", ct)).Id;
        h.Get<ISpotifyTokenManager>().Forget(keptId);

        var outcomes = await h.Get<SpotifySyncService>().SyncEligibleAsync(ct);

        Assert.Equal(SyncStatus.Quarantined, Assert.Single(outcomes, o => o.UserId == lostId).Status);
        var kept = Assert.Single(outcomes, o => o.UserId == keptId);
        Assert.Equal(SyncStatus.Synced, kept.Status);
        Assert.Equal(10, kept.Inserted);
        Assert.False((await h.AuthOfAsync(lostId)).IsValid);
        Assert.True((await h.AuthOfAsync(keptId)).IsValid);
        Assert.Contains(h.Logs.Lines, l => l.Contains($"stored Spotify token of user {lostId} does not decrypt", StringComparison.Ordinal));
        Assert.DoesNotContain(await h.Get<SpotifySyncService>().EligibleUsersAsync(ct), id => id == lostId);
    }
}
