namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>Wire names and codes of <see cref="Ec2InstanceState"/>.</summary>
public static class Ec2InstanceStates
{
    /// <summary>The <c>instance-state-name</c> value: pending, running, shutting-down, terminated, stopping, stopped.</summary>
    public static string WireName(this Ec2InstanceState state) => state switch
    {
        Ec2InstanceState.Pending => "pending",
        Ec2InstanceState.Running => "running",
        Ec2InstanceState.ShuttingDown => "shutting-down",
        Ec2InstanceState.Terminated => "terminated",
        Ec2InstanceState.Stopping => "stopping",
        _ => "stopped",
    };

    /// <summary>The <c>InstanceState.Code</c>: 0 pending, 16 running, 32 shutting-down, 48 terminated, 64 stopping, 80 stopped.</summary>
    public static int Code(this Ec2InstanceState state) => state switch
    {
        Ec2InstanceState.Pending => 0,
        Ec2InstanceState.Running => 16,
        Ec2InstanceState.ShuttingDown => 32,
        Ec2InstanceState.Terminated => 48,
        Ec2InstanceState.Stopping => 64,
        _ => 80,
    };
}
