namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>One item of Start/Stop/TerminateInstances' answer.</summary>
public sealed record Ec2StateChange(string InstanceId, Ec2InstanceState PreviousState, Ec2InstanceState CurrentState);
