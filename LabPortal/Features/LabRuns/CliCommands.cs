using System.Globalization;
using LabPortal.Components;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.LabRuns;

/// <summary>
/// The "same with the AWS CLI" blocks and the addresses in a step's text, built from the running
/// configuration (the sandbox's real API endpoint and data-plane port) and this run's values, so what
/// the learner copies works as shown. Lab texts are written for the default ports; the real ones
/// replace them here.
/// </summary>
public sealed class CliCommands(LearnerCloud cloud)
{
    /// <summary>The documented defaults the lab texts use (README, Labs/README.md).</summary>
    public const int DefaultApiPort = 4566;
    public const int DefaultDataPlanePort = 8080;

    /// <summary>The blocks of one step: the environment lines first (sandbox only), then the step's commands filled with the run's values.</summary>
    public IReadOnlyList<CliText> BlocksFor(RunView view, StepDefinition step)
    {
        if (string.IsNullOrWhiteSpace(step.Cli))
        {
            return [];
        }

        var text = LabMarkdown.Fill(step.Cli!, view.Placeholders).TrimEnd() + "\n";
        return [new CliText("cli", L.T("The same with the AWS CLI", "AWS CLI로 같은 작업 하기"), Environment(view.Lab.Region) + text)];
    }

    /// <summary>Lines that point the AWS CLI at this portal's cloud (empty on real AWS with the default chain).</summary>
    public string Environment(string region)
    {
        if (!SandboxListening)
        {
            return $"export AWS_DEFAULT_REGION={region}\n";
        }

        return $"# {L.T("Your keys: the portal's CLI access page", "내 키: 포털의 CLI 접속 페이지")}\nexport AWS_ENDPOINT_URL={ApiEndpoint}\nexport AWS_DEFAULT_REGION={region}\n";
    }

    /// <summary>Replaces the default ports in a lab text with the ones this portal runs on.</summary>
    public string FillAddresses(string text)
    {
        if (!SandboxListening)
        {
            return text;
        }

        var dataPlanePort = cloud.SandboxDataPlanePort.ToString(CultureInfo.InvariantCulture);
        return text
            .Replace($"http://localhost:{DefaultApiPort}", ApiEndpoint, StringComparison.Ordinal)
            .Replace($".localhost:{DefaultDataPlanePort}", $".localhost:{dataPlanePort}", StringComparison.Ordinal)
            .Replace($"}}:{DefaultDataPlanePort}", $"}}:{dataPlanePort}", StringComparison.Ordinal)
            .Replace($"port {DefaultDataPlanePort}", $"port {dataPlanePort}", StringComparison.Ordinal)
            .Replace($"{DefaultDataPlanePort} 포트", $"{dataPlanePort} 포트", StringComparison.Ordinal);
    }

    // On the sandbox, IsReady says whether its servers listen (a portal still starting has none yet).
    private bool SandboxListening => cloud.Mode == CloudMode.Sandbox && cloud.IsReady;

    private string ApiEndpoint => cloud.SandboxApi.ToString().TrimEnd('/');
}
