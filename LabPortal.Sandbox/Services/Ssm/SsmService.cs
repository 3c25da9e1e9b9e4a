using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>
/// SSM (JSON 1.1, <c>X-Amz-Target: AmazonSSM.*</c>, signing name <c>ssm</c>): the public AMI
/// parameters and Run Command with <c>AWS-RunShellScript</c>, which runs on the instance's
/// <see cref="Runtime.IMachine"/> in the background (ARCHITECTURE.md "faults").
/// </summary>
public sealed partial class SsmService : ApiService
{
    public const string RunShellScript = "AWS-RunShellScript";

    /// <summary>GetCommandInvocation returns at most 24,000 characters of output (API reference, StandardOutputContent).</summary>
    public const int MaxOutputContent = 24000;

    /// <summary>ListCommandInvocations' plugin Output holds the first 2,500 characters (API reference, CommandPlugin.Output).</summary>
    public const int MaxPluginOutput = 2500;

    internal const string PluginName = "aws:runShellScript";

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly IEc2Instances _ec2;
    private readonly SsmInvocationRunner _runner;

    public SsmService(SandboxState state, SandboxClock clock, IEc2Instances ec2, SsmInvocationRunner runner)
        : base("ssm", WireProtocol.Json, string.Empty, "2014-11-06", "AmazonSSM")
    {
        _state = state;
        _clock = clock;
        _ec2 = ec2;
        _runner = runner;

        Register("GetParameter", GetParameterAsync);
        Register("GetParameters", GetParametersAsync);
        Register("SendCommand", SendCommandAsync);
        Register("GetCommandInvocation", GetCommandInvocationAsync);
        Register("ListCommandInvocations", ListCommandInvocationsAsync);
        Register("ListCommands", ListCommandsAsync);
    }
}
