using System.Globalization;
using MyiV3.Bench;
using MyiV3.Jobs.Import.Generator;

// dotnet run -c Release --project MyiV3.Bench -- <command>
//   import [plays] [runs]    ingestion end to end vs the schema floor
//   parse [plays] [runs]     the parser alone (no database), cold and warm runs in one process
//   stage [plays] [runs]     the import's staging phase (parse + COPY into PostgreSQL), cold and warm
//   naive [sample]           per-event EF Core vs the engine
//   memory [MB] [zip]        peak working set of the command-line import of a generated upload (one JSON, or a ZIP of many)
//   dashboard [plays]        dashboard reads vs GROUP BY over listening_events
//   sync [users]             sync of emulator users under the 150 requests/minute limit, then verify
//   generate <zip> [plays] [extended|endsong|accountdata]   a realistic export to try the app with
return args.FirstOrDefault() switch
{
    "generate" when args.Length >= 2 => Generate(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 250_000,
        args.Length > 3 ? Enum.Parse<GeneratedLayout>(args[3], ignoreCase: true) : GeneratedLayout.Extended),
    { } command => await BenchCommand.RunAsync(command, args.Skip(1).ToArray()),
    null => await BenchCommand.RunAsync("", []),
};

static int Generate(string path, int plays, GeneratedLayout layout)
{
    var history = new HistoryGenerator(new HistoryGeneratorOptions { Plays = plays, Years = 8 }).WriteZip(path, layout);
    Console.WriteLine($"{path}: {history.Rows:N0} rows in {history.Files.Count} files, {history.DistinctPlays:N0} distinct plays, {history.JsonBytes / 1e6:N1} MB of JSON");
    return 0;
}
