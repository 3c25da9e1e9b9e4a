using LabPortal.Features.LabRuns.Actions;
using LabPortal.Features.LabRuns.Checks;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Features.LabRuns.Teardown;
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
        // Loaded here, once: a broken lab stops the app before it is built, and the registration names no container.
        builder.Services.AddSingleton(LabCatalog.Load(directory));
        builder.Services.AddHostedService<LabCatalogLoader>();
        builder.Services.AddScoped<LabRunService>();
        builder.Services.AddSingleton<LabWizard>();
        builder.Services.AddScoped<WizardServices>();
        builder.Services.AddScoped<CliCommands>();
        builder.Services.AddScoped<StepScheduler>();
        builder.Services.AddScoped<StepRunner>();
        builder.Services.AddScoped<GuardrailCheck>();
        // After the database migrator and the job server (registered by AddData and AddJobs, earlier).
        builder.Services.AddHostedService<StepRunResumer>();

        // The one teardown of a run, for every reason (the finish step, resets, auto-cleanup).
        builder.Services.AddOptions<TeardownOptions>().BindConfiguration(TeardownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TeardownSlots>();
        builder.Services.AddScoped<TeardownScheduler>();
        builder.Services.AddScoped<RunTeardown>();
        builder.Services.AddScoped<RunVerifier>();
        builder.Services.AddHostedService<TeardownResumer>();
        builder.Services.AddScoped<RuntimeChoices>();
        builder.Services.AddScoped<Drill.DrillTimeline>();
        builder.Services.AddSingleton<Drill.DrillObservations>();
        builder.Services.AddSingleton<LabAvailability>();

        // The actions lab.yaml files name. A lab naming one that is missing is refused at start-up.
        builder.Services.AddSingleton<ILabAction, CreateWebSecurityGroup>();
        builder.Services.AddSingleton<ILabAction, LaunchWebInstances>();
        builder.Services.AddSingleton<ILabAction, CreateTargetGroupWithTargets>();
        builder.Services.AddSingleton<ILabAction, CreateLoadBalancerWithListener>();
        builder.Services.AddSingleton<ILabAction, CreateLaunchTemplate>();
        builder.Services.AddSingleton<ILabAction, CreateAutoScalingGroup>();
        builder.Services.AddSingleton<ILabAction, CreateTargetGroupWithGroupInstances>();
        builder.Services.AddSingleton<ILabAction, ScaleAutoScalingGroup>();
        builder.Services.AddSingleton<ILabAction, AttachTargetGroupToAutoScalingGroup>();
        builder.Services.AddSingleton<ILabAction, EnableElbHealthChecks>();
        builder.Services.AddSingleton<ILabAction, StopWebServer>();
        builder.Services.AddSingleton<ILabAction, CreateImageTargetGroupAndRule>();
        builder.Services.AddSingleton<ILabAction, TearDownLab>();
        builder.Services.AddScoped<ProgressChecker>();
        foreach (var check in new[] { typeof(SecurityGroupExists), typeof(SecurityGroupAllowsHttp), typeof(InstancesRunning), typeof(InstancePagesAnswer), typeof(LoadBalancerActive), typeof(ListenerForwardsToTargetGroup), typeof(TargetsHealthy), typeof(BothPagesAnswer),
            typeof(GroupAtDesiredCapacity), typeof(GroupAttachedToTargetGroup), typeof(GroupUsesElbHealthChecks), typeof(ImageRuleRoutes) })
        {
            builder.Services.AddSingleton(typeof(ILabCheck), check);
        }
        return builder;
    }

    /// <summary>Answers forms posted to another learner's run page as its GET does (<see cref="ForeignRunPosts"/>); Program.cs places it where the signed-in user is known.</summary>
    public static IApplicationBuilder UseForeignRunPostsAsNotFound(this IApplicationBuilder app) => app.UseMiddleware<ForeignRunPosts>();
}

/// <summary>
/// Loads the catalog while the host starts, so a broken lab fails start-up rather than a student's
/// first click, and reports labs naming actions this build does not have (they are listed as not
/// available, with the missing names, and cannot be started).
/// </summary>
public sealed partial class LabCatalogLoader(LabCatalog catalog, LabAvailability availability, ILogger<LabCatalogLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var lab in catalog.Labs)
        {
            if (availability.MissingActions(lab) is { Count: > 0 } missing)
            {
                LogUnavailable(lab.Id, string.Join(", ", missing));
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lab {LabId} cannot be started: this build has no action {Actions}")]
    private partial void LogUnavailable(string labId, string actions);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
