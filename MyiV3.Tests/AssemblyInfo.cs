using MyiV3.Tests.Fixtures;

// One PostgreSQL cluster and one browser for the whole test run.
[assembly: AssemblyFixture(typeof(PostgresCluster))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
