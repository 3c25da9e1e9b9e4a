namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>EC2 instance states; the wire name and the <c>InstanceState.Code</c> low byte (aws-behaviour.md 2.4).</summary>
public enum Ec2InstanceState
{
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}
