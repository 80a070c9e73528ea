using MyiV3.SpotifyEmulator;

await using var app = await EmulatorApp.BuildAsync(args);
await app.RunAsync();
