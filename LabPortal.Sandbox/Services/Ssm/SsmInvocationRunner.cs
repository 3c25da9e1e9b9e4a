using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>
/// Runs a command's invocations on the instances' machines in the background, a delivery delay after
/// SendCommand, and settles invocations the sandbox could not finish: those under way at a restart
/// and every command of a deleted account.
/// </summary>
public sealed class SsmInvocationRunner : IAccountCleanup, ISandboxLifecycle
{
    /// <summary>The agent picks a command up within a second or so; AWS publishes no figure.</summary>
    public static readonly TimeSpan DeliveryDelay = TimeSpan.FromSeconds(1);

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly IEc2Instances _ec2;

    public SsmInvocationRunner(SandboxState state, SandboxClock clock, SandboxBackgroundWork background, IEc2Instances ec2)
    {
        _state = state;
        _clock = clock;
        _background = background;
        _ec2 = ec2;
    }

    public Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);

        // Running scripts end with their machines (EC2's cleanup); their results find no command to land in.
        foreach (var (region, ssm) in scope.All<SsmRegionState>())
        {
            ssm.Commands.Clear();
            scope.MarkChanged<SsmRegionState>(region);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Scripts do not survive a restart: an invocation that was pending or running when the sandbox
    /// stopped ends as the agent reports a lost delivery (Failed, "Undeliverable"), never runs twice.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var accountId in _state.AccountIds)
        {
            await using var scope = await _state.EnterAsync(accountId, cancellationToken);
            foreach (var (region, ssm) in scope.All<SsmRegionState>())
            {
                var interrupted = ssm.Commands.SelectMany(c => c.Invocations).Where(i => i.Status is "Pending" or "InProgress").ToList();
                foreach (var invocation in interrupted)
                {
                    invocation.Status = "Failed";
                    invocation.StatusDetails = "Undeliverable";
                    invocation.EndedAt = _clock.UtcNow;
                }

                if (interrupted.Count > 0)
                {
                    scope.MarkChanged<SsmRegionState>(region);
                }
            }
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the command on each instance once <paramref name="scope"/> is released.</summary>
    public void Schedule(AccountScope scope, string region, SsmCommand command, IEnumerable<string> instanceIds)
    {
        var accountId = scope.AccountId;
        foreach (var id in instanceIds)
        {
            scope.OnReleased(() => _background.Run($"ssm {command.CommandId} {id}", ct => RunInvocationAsync(accountId, region, command.CommandId, id, ct)));
        }
    }

    private async Task RunInvocationAsync(string accountId, string region, string commandId, string instanceId, CancellationToken cancellationToken)
    {
        await _clock.DelayAsync(DeliveryDelay, cancellationToken);
        string script;
        TimeSpan timeout;
        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var (command, invocation) = Find(scope, region, commandId, instanceId);
            if (command is null || invocation is null)
            {
                return;
            }

            invocation.Status = "InProgress";
            invocation.StatusDetails = "InProgress";
            invocation.StartedAt = _clock.UtcNow;
            scope.MarkChanged<SsmRegionState>(region);
            script = string.Join('\n', command.Commands);
            timeout = _clock.Scaled(TimeSpan.FromSeconds(command.TimeoutSeconds));
        }

        var machine = _ec2.GetMachine(accountId, instanceId);
        (string Status, int Code, string Out, string Err) outcome;
        if (machine is null)
        {
            // The instance stopped between the call and delivery: the agent never got the command.
            outcome = ("Undeliverable", -1, string.Empty, string.Empty);
        }
        else
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                var result = await machine.RunScriptAsync(script, limit.Token);
                outcome = (result.ExitCode == 0 ? "Success" : "Failed", result.ExitCode, result.StandardOutput, result.StandardError);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = ("TimedOut", -1, string.Empty, "Execution timed out.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                outcome = ("Failed", 1, string.Empty, ex.Message);
            }
        }

        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var (_, invocation) = Find(scope, region, commandId, instanceId);
            if (invocation is null)
            {
                return;
            }

            invocation.Status = outcome.Status == "Undeliverable" ? "Failed" : outcome.Status;
            invocation.StatusDetails = outcome.Status;
            invocation.ResponseCode = outcome.Code;
            invocation.StandardOutput = outcome.Out;
            invocation.StandardError = outcome.Err;
            invocation.EndedAt = _clock.UtcNow;
            scope.MarkChanged<SsmRegionState>(region);
        }

        if (machine is not null)
        {
            // The script changed the machine (a stopped web server): keep that across a restart.
            await _ec2.SaveMachineSnapshotAsync(accountId, region, instanceId, cancellationToken);
        }
    }

    /// <summary>The command and its invocation on <paramref name="instanceId"/>, either null when gone.</summary>
    internal static (SsmCommand? Command, SsmInvocation? Invocation) Find(AccountScope scope, string region, string commandId, string instanceId)
    {
        var command = scope.Find<SsmRegionState>(region)?.Commands.FirstOrDefault(c => c.CommandId == commandId);
        return (command, command?.Invocations.FirstOrDefault(i => i.InstanceId == instanceId));
    }
}
