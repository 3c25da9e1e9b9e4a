using LabPortal.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Infrastructure.Data;

public static class DataModule
{
    /// <summary>
    /// The portal database: SQLite in the data folder unless <c>ConnectionStrings:Portal</c> says otherwise: another
    /// SQLite file, or a PostgreSQL server (<see cref="DatabaseProviders.IsPostgreSql"/>; the jobs then go there too
    /// unless <c>ConnectionStrings:Jobs</c> is given). Migrations run at start-up, before any other hosted service (the job server
    /// releases stale leases in these tables before it starts). The audit trail writes here too.
    /// </summary>
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var dataDirectory = DataDirectory.Resolve(builder);
        builder.Services.AddSingleton(dataDirectory);

        var connectionString = PortalConnectionString(builder.Configuration, dataDirectory);
        if (DatabaseProviders.IsPostgreSql(connectionString))
        {
            // Services keep asking for PortalDbContext; on PostgreSQL they get the context type that owns the PostgreSQL migrations.
            builder.Services.AddDbContext<PortalDbContext, PostgreSqlPortalDbContext>(options => options.UseNpgsql(connectionString));
        }
        else
        {
            builder.Services.AddDbContext<PortalDbContext>(options => options.UseSqlite(connectionString));
        }

        // Hosted services start in the order they were registered. The migrator goes first: Data Protection's key ring
        // loader (registered earlier by the web module's antiforgery) would otherwise read the keys' table of a fresh
        // database before it exists, and log the failure as an error.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        builder.Services.AddScoped<AuditLog>();
        return builder;
    }

    public static string PortalConnectionString(IConfiguration configuration, DataDirectory dataDirectory) =>
        configuration.GetConnectionString("Portal") is { Length: > 0 } configured
            ? configured
            : $"Data Source={dataDirectory.File("labportal.db")};Foreign Keys=True";
}
