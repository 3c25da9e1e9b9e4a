using LabPortal.Sandbox.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace LabPortal.Sandbox;

/// <summary>
/// The sandbox as its own process: <c>dotnet run --project LabPortal.Sandbox</c> (or <c>dotnet LabPortal.Sandbox.dll</c>),
/// so several portal nodes share one cloud. Settings as the portal's: the <c>Sandbox</c> section from
/// environment variables (<c>Sandbox__ApiPort</c>) or the command line (<c>--Sandbox:ApiPort=4566</c>). Its state is
/// in <c>./sandbox-data</c> unless <c>Sandbox:DataDirectory</c> says otherwise. Ctrl+C or SIGTERM stops it
/// gracefully (machines are snapshotted), so the next start brings everything back.
/// </summary>
/// <remarks>A named class, not top-level statements: the portal and the tests reference this assembly beside the portal's own <c>Program</c>.</remarks>
public static class SandboxProgram
{
    /// <summary>The standalone defaults, under every other source (a setting anywhere overrides them).</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        [$"{SandboxOptions.SectionName}:{nameof(SandboxOptions.DataDirectory)}"] = "sandbox-data",
        // As in the embedded setup: the AWS CLI works with test/test at once (README "The sandbox with the AWS CLI").
        [$"{SandboxOptions.SectionName}:{nameof(SandboxOptions.AllowPlaygroundCredentials)}"] = "true",
    };

    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "LabPortal.Sandbox" });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        var enabled = builder.Configuration.GetValue($"{SandboxOptions.SectionName}:{nameof(SandboxOptions.Enabled)}", true);
        if (!enabled)
        {
            await Console.Error.WriteLineAsync("Sandbox:Enabled is false: a standalone sandbox has nothing else to do. Remove the setting or set it to true.");
            return 2;
        }

        builder.AddSandbox();
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
