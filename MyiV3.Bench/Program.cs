using MyiV3.Bench;

return await BenchCommand.RunAsync(args);
