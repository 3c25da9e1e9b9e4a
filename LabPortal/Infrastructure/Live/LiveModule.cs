using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LabPortal.Infrastructure.Live;

public static class LiveModule
{
    /// <summary>
    /// Live changes (<see cref="RunChanges"/>) and the live panels' leases. One node (the portal's database
    /// is SQLite): in-process only, no connection to anything. Several nodes (<c>ConnectionStrings:Portal</c>
    /// is a PostgreSQL one): changes cross nodes through LISTEN/NOTIFY, one node polls each watched run
    /// (advisory locks), and every AWS call of every node takes from the account's one bucket in the database
    /// (<see cref="PostgresCallBudget"/> as <see cref="IAwsCallBudget"/>, which <see cref="CloudClientFactory"/> hands to
    /// its <see cref="RateLimitingHandler"/>; on SQLite nothing is registered and the in-process buckets count alone).
    /// </summary>
    public static IHostApplicationBuilder AddLiveChanges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (DatabaseProviders.IsPostgreSql(builder.Configuration.GetConnectionString("Portal")))
        {
            var connectionString = builder.Configuration.GetConnectionString("Portal")!;
            builder.Services.AddSingleton(_ => new NodeDatabase(connectionString));
            builder.Services.AddSingleton<PostgresLiveBus>();
            builder.Services.AddSingleton<ILiveBus>(services => services.GetRequiredService<PostgresLiveBus>());
            builder.Services.AddHostedService(services => services.GetRequiredService<PostgresLiveBus>());
            builder.Services.AddSingleton<PostgresRunLeases>();
            builder.Services.AddSingleton<IRunLeases>(services => services.GetRequiredService<PostgresRunLeases>());
            builder.Services.AddHostedService(services => services.GetRequiredService<PostgresRunLeases>());
            builder.Services.AddSingleton<PostgresCallBudget>();
            builder.Services.AddSingleton<IAwsCallBudget>(services => services.GetRequiredService<PostgresCallBudget>());
        }
        else
        {
            builder.Services.AddSingleton<ILiveBus>(InProcessLiveBus.Instance);
            builder.Services.AddSingleton<IRunLeases, InProcessRunLeases>();
        }

        builder.Services.AddSingleton<RunChanges>();
        // A closed tab's circuit lingers for a reconnect; live views stop their work meanwhile (one instance, two roles).
        builder.Services.AddScoped<CircuitConnection>();
        builder.Services.AddScoped<CircuitHandler>(services => services.GetRequiredService<CircuitConnection>());
        return builder;
    }
}
