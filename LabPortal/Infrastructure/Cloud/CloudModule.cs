using LabPortal.Aws.Core;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Core;
using Microsoft.Extensions.Options;

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

        builder.Services.AddOptions<CloudOptions>().BindConfiguration(CloudOptions.Section)
            .Validate(o => o.AssumeRoleExpiryMargin >= TimeSpan.Zero && o.AssumeRoleExpiryMargin < o.AssumeRoleDuration, "Cloud:AssumeRoleExpiryMargin must be zero or more and shorter than Cloud:AssumeRoleDuration.")
            .Validate(o => o.AssumeRoleRefreshBefore >= TimeSpan.Zero, "Cloud:AssumeRoleRefreshBefore must be zero or more.")
            .ValidateOnStart();

        // A standalone sandbox shared by several nodes (Sandbox:Enabled=false + Sandbox:ApiUrl): its accounts over its
        // admin API. Registered before AddSandbox, whose TryAdd then keeps this; decided when first resolved, so a
        // test's configuration counts.
        builder.Services.AddOptions<ExternalSandboxOptions>().BindConfiguration(SandboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SandboxConnection>();
        builder.Services.AddSingleton<RemoteSandboxAccounts>();
        builder.Services.AddSingleton<LabPortal.Sandbox.Accounts.ISandboxAccounts>(sp =>
            sp.GetRequiredService<IOptions<ExternalSandboxOptions>>().Value.IsExternal
                ? sp.GetRequiredService<RemoteSandboxAccounts>()
                : sp.GetRequiredService<LabPortal.Sandbox.Accounts.SandboxAccountStore>());
        if (builder.Configuration.GetSection(SandboxOptions.SectionName).Get<ExternalSandboxOptions>() is { IsExternal: true })
        {
            builder.Services.AddHealthChecks().AddCheck<ExternalSandboxHealthCheck>("sandbox-standalone");
        }

        builder.AddSandbox();
        builder.Services.AddLabPortalAws();
        builder.Services.AddSingleton<CloudClientFactory>();
        builder.Services.AddScoped<LearnerCloud>();
        builder.Services.AddScoped<Guardrails.GuardrailReader>();
        return builder;
    }
}
