using System.Net;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Web;

public sealed class HealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Healthz_reports_the_database_healthy()
    {
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Healthz_reports_unhealthy_when_the_database_is_gone()
    {
        await using var fixture = new AppFixture();
        await fixture.InitializeAsync();
        await PostgresCluster.Current.DropDatabaseAsync(fixture.Db.Name);
        using var http = new HttpClient { BaseAddress = fixture.BaseUri };
        using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
