using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MyiV3.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the app or a server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MyiDbContext>
{
    public MyiDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MyiDbContext>();
        // Design-time only: the process exits right after, so the data source is not disposed.
        var dataSource = MyiDatabase.CreateDataSource(Environment.GetEnvironmentVariable("MYI_DESIGN_CONNECTION") ?? "Host=localhost;Database=myi_design");
        MyiDatabase.Configure(options, dataSource);
        return new MyiDbContext(options.Options);
    }
}
