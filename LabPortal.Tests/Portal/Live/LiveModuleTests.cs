using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LabPortal.Tests.Portal.Live;

/// <summary>Which live components a portal gets: in-process only on SQLite, the PostgreSQL ones when its database is PostgreSQL.</summary>
public sealed class LiveModuleTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Data Source=/tmp/portal.db")]
    public void On_SQLite_changes_stay_in_process_and_nothing_connects_to_PostgreSQL(string? portal)
    {
        using var host = Build(portal);

        Assert.Same(InProcessLiveBus.Instance, host.Services.GetRequiredService<ILiveBus>());
        Assert.IsType<InProcessRunLeases>(host.Services.GetRequiredService<IRunLeases>());
        Assert.Null(host.Services.GetService<NodeDatabase>());
        Assert.Null(host.Services.GetService<IAwsCallBudget>());
        Assert.Empty(host.Services.GetServices<IHostedService>());
    }

    [Fact]
    public void On_PostgreSQL_changes_cross_nodes_the_leases_are_advisory_locks_and_the_call_budget_is_shared()
    {
        // Nothing is started here: building the container opens no connection.
        using var host = Build("Host=127.0.0.1;Port=1;Username=nobody;Database=none");

        Assert.IsType<PostgresLiveBus>(host.Services.GetRequiredService<ILiveBus>());
        Assert.IsType<PostgresRunLeases>(host.Services.GetRequiredService<IRunLeases>());
        Assert.IsType<PostgresCallBudget>(host.Services.GetRequiredService<IAwsCallBudget>());
        Assert.Equal(2, host.Services.GetServices<IHostedService>().Count());
    }

    private static IHost Build(string? portal)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = portal });
        builder.Services.AddLabPortalAws();
        builder.AddLiveChanges();
        return builder.Build();
    }
}
