using LabPortal.Aws.Core;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;

namespace LabPortal.Infrastructure.Cloud;

public static class CloudModule
{
    /// <summary>
    /// The cloud the labs run on: the in-process sandbox by default (<c>Cloud:Mode=Sandbox</c>), its
    /// state kept in the portal's data folder unless <c>Sandbox:DataDirectory</c> says otherwise,
    /// and the typed AWS clients the steps call it with.
    /// </summary>
    public static IHostApplicationBuilder AddCloud(this IHostApplicationBuilder builder)
    {
        var sandboxDirectory = builder.Configuration[$"{SandboxOptions.SectionName}:{nameof(SandboxOptions.DataDirectory)}"];
        if (string.IsNullOrWhiteSpace(sandboxDirectory))
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{SandboxOptions.SectionName}:{nameof(SandboxOptions.DataDirectory)}"] = DataDirectory.Resolve(builder).File("sandbox"),
            });
        }

        builder.Services.AddOptions<CloudOptions>().BindConfiguration(CloudOptions.Section).ValidateOnStart();
        builder.AddSandbox();
        builder.Services.AddLabPortalAws();
        builder.Services.AddSingleton<CloudClientFactory>();
        builder.Services.AddScoped<LearnerCloud>();
        builder.Services.AddScoped<Guardrails.GuardrailReader>();
        return builder;
    }
}
