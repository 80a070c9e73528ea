using MyiV3.Web.Hosting;

return await MyiApp.RunAsync(args);
