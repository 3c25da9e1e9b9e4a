namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// An instance moved from one state to another. Raised after the change is persisted and the
/// account's lock released, in order, one at a time (Auto Scaling and ELBv2 subscribe).
/// </summary>
public sealed record InstanceStateChanged(
    string AccountId,
    string Region,
    string InstanceId,
    Ec2InstanceState PreviousState,
    Ec2InstanceState CurrentState,
    DateTimeOffset At);
