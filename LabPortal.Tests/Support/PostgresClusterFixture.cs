namespace LabPortal.Tests.Support;

/// <summary>One throw-away PostgreSQL cluster for a whole test class (<c>IClassFixture&lt;PostgresClusterFixture&gt;</c>).</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private PostgresCluster? _cluster;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public string ConnectionString => Cluster.ConnectionString;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
