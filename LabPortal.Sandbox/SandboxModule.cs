using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.DataPlane;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Services.AutoScaling;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Services.Elbv2;
using LabPortal.Sandbox.Services.Ssm;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;
using LabPortal.Sandbox.Wire.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LabPortal.Sandbox;

/// <summary>Registers the sandbox: <c>builder.AddSandbox()</c> in the portal's Program.cs (STYLE.md "AddXxx per area").</summary>
public static class SandboxModule
{
    /// <summary>
    /// Binds <see cref="SandboxOptions"/> from the <c>Sandbox</c> section (validated on start) and, when
    /// enabled, starts the sandbox's own Kestrel servers (API and data plane) as a hosted service.
    /// </summary>
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSandboxServices();
        builder.Services.AddHostedService<SandboxHost>();
        builder.Services.AddHealthChecks().AddCheck<SandboxHealthCheck>("sandbox");
        return builder;
    }

    /// <summary>The sandbox's services without hosting (used by <see cref="AddSandbox"/>).</summary>
    public static IServiceCollection AddSandboxServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxEndpoints>();
        services.TryAddSingleton<SandboxClock>();
        services.TryAddSingleton<SandboxBackgroundWork>();
        services.TryAddSingleton<SandboxDatabase>();
        services.TryAddSingleton<SandboxState>();
        services.TryAddSingleton<AccountQuotaBook>();
        services.TryAddSingleton<SandboxAccountStore>();
        services.TryAddSingleton<ISandboxAccounts>(sp => sp.GetRequiredService<SandboxAccountStore>());
        services.TryAddSingleton<DataPlaneRoutes>();
        services.TryAddSingleton<IDataPlaneRoutes>(sp => sp.GetRequiredService<DataPlaneRoutes>());
        services.TryAddSingleton<HttpForwarder>();
        services.TryAddSingleton<ApiRateLimiter>();
        services.TryAddSingleton(sp => new SandboxMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ApiAuthenticator>();
        services.TryAddSingleton<ApiGateway>();
        services.TryAddSingleton<DataPlaneFront>();
        services.TryAddSingleton<SandboxAdminEndpoint>();

        // The instance operating system: user data, SSM scripts and each instance's real web server.
        // TryAdd, so a test can supply its own factory before calling this.
        services.TryAddSingleton<IMachineFactory, MachineFactory>();

        // EC2
        services.AddSandboxStateSection(StateSection.For(Ec2RegionState.SectionName, Ec2RegionState.Create));
        services.TryAddSingleton<Ec2InstanceEvents>();
        services.TryAddSingleton<Ec2InstanceAddresses>();
        services.TryAddSingleton<Ec2InstanceMachines>();
        services.TryAddSingleton<Ec2PublicHostRoutes>();
        services.TryAddSingleton<Ec2InstanceTransitions>();
        services.TryAddSingleton<Ec2InstanceLauncher>();
        services.TryAddSingleton<Ec2InstanceRestore>();
        services.TryAddSingleton<Ec2InstanceCleanup>();
        services.TryAddSingleton<Ec2Instances>();
        services.TryAddSingleton<IEc2Instances>(sp => sp.GetRequiredService<Ec2Instances>());
        services.AddSingleton<IAccountCleanup>(sp => sp.GetRequiredService<Ec2InstanceCleanup>());
        services.AddSingleton<ISandboxLifecycle>(sp => sp.GetRequiredService<Ec2InstanceRestore>());
        services.AddSandboxApiService<Ec2Service>();

        // ELBv2
        services.AddSandboxStateSection(StateSection.For(Elbv2RegionState.SectionName, Elbv2RegionState.Create));
        services.TryAddSingleton<Elbv2Snapshots>();
        services.TryAddSingleton<Elbv2HealthChecker>();
        services.TryAddSingleton<Elbv2Router>();
        services.TryAddSingleton<Elbv2Runtime>();
        services.TryAddSingleton<Elbv2TargetGroupMembership>();
        services.TryAddSingleton<ITargetGroupMembership>(sp => sp.GetRequiredService<Elbv2TargetGroupMembership>());
        services.AddSingleton<ISecurityGroupReferences>(sp => sp.GetRequiredService<Elbv2TargetGroupMembership>());
        services.AddSingleton<INetworkReferences>(sp => sp.GetRequiredService<Elbv2TargetGroupMembership>());
        services.AddSingleton<IAccountCleanup>(sp => sp.GetRequiredService<Elbv2Runtime>());
        services.AddSingleton<ISandboxLifecycle>(sp => sp.GetRequiredService<Elbv2Runtime>());
        services.AddSandboxApiService<Elbv2Service>();

        // Auto Scaling
        services.AddSandboxStateSection(StateSection.For(AutoScalingRegionState.SectionName, AutoScalingRegionState.Create));
        services.TryAddSingleton<AutoScalingTargetGroups>();
        services.TryAddSingleton<AutoScalingCapacity>();
        services.TryAddSingleton<AutoScalingController>();
        services.AddSingleton<IAccountCleanup>(sp => sp.GetRequiredService<AutoScalingController>());
        services.AddSingleton<ISandboxLifecycle>(sp => sp.GetRequiredService<AutoScalingController>());
        services.AddSandboxApiService<AutoScalingService>();

        // SSM
        services.AddSandboxStateSection(StateSection.For(SsmRegionState.SectionName, SsmRegionState.Create));
        services.TryAddSingleton<SsmInvocationRunner>();
        services.AddSingleton<IAccountCleanup>(sp => sp.GetRequiredService<SsmInvocationRunner>());
        services.AddSingleton<ISandboxLifecycle>(sp => sp.GetRequiredService<SsmInvocationRunner>());
        services.AddSandboxApiService<SsmService>();

        // STS: AssumeRole into sandbox accounts (an account pool offline)
        services.AddSandboxApiService<Services.Sts.StsService>();
        return services;
    }

    /// <summary>Adds a service to the API port's dispatch (chosen by its SigV4 signing name).</summary>
    public static IServiceCollection AddSandboxApiService<TService>(this IServiceCollection services)
        where TService : ApiService
    {
        services.TryAddSingleton<TService>();
        services.AddSingleton<ApiService>(sp => sp.GetRequiredService<TService>());
        return services;
    }

    /// <summary>Declares a kind of per-account, per-region persisted state (see <see cref="StateSection"/>).</summary>
    public static IServiceCollection AddSandboxStateSection(this IServiceCollection services, StateSection section)
    {
        services.AddSingleton(section);
        return services;
    }
}
