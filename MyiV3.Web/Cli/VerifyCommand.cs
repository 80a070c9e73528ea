using MyiV3.Data.Ingestion;

namespace MyiV3.Web.Cli;

internal static class VerifyCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var user = await CliApp.FindUserAsync(services, args.User, create: false, ct);
        if (user is null)
        {
            await error.WriteLineAsync($"No user named {args.User}.");
            return 2;
        }

        var differences = await services.GetRequiredService<IStatsRebuilder>().VerifyAsync(user.Id, ct);
        foreach (var d in differences)
        {
            await output.WriteLineAsync($"{d.Table} [{d.Key}]: stored {d.Stored ?? "(none)"}, events imply {d.Expected ?? "(none)"}");
        }

        await output.WriteLineAsync(differences.Count == 0
            ? $"verify: the statistics of {user.DisplayName} match their {user.TotalPlayCount} plays exactly (0 differences)"
            : $"verify: {differences.Count} differences");
        return differences.Count == 0 ? 0 : 1;
    }
}
