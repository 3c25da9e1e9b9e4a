using LabPortal.Features.Labs.Definitions;

namespace LabPortal.Features.LabRuns;

public static class LabRunsModule
{
    /// <summary>
    /// The lab catalog (loaded once from <c>Labs:Directory</c>, default <c>Labs/</c> under the content
    /// root; a broken lab stops start-up with a list of problems) and the run service.
    /// </summary>
    public static IHostApplicationBuilder AddLabRuns(this IHostApplicationBuilder builder)
    {
        var directory = Path.GetFullPath(builder.Configuration["Labs:Directory"] ?? "Labs", builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(_ => LabCatalog.Load(directory));
        builder.Services.AddHostedService<LabCatalogLoader>();
        builder.Services.AddScoped<LabRunService>();
        return builder;
    }
}

/// <summary>Loads the catalog while the host starts, so a broken lab fails start-up rather than a student's first click.</summary>
public sealed class LabCatalogLoader(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<LabCatalog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
