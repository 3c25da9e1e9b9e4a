using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>An instance's control-plane record (persisted); its operating system is an <see cref="IMachine"/>.</summary>
public sealed class Ec2Instance
{
    public string InstanceId { get; set; } = string.Empty;

    public string ReservationId { get; set; } = string.Empty;

    public string ImageId { get; set; } = string.Empty;

    public string InstanceType { get; set; } = string.Empty;

    public string Architecture { get; set; } = "x86_64";

    public string? KeyName { get; set; }

    /// <summary>
    /// The instance profile's ARN (<c>iamInstanceProfile.arn</c>), or null. The sandbox has no IAM: any
    /// profile name is accepted and taken to allow Systems Manager, as AmazonSSMManagedInstanceCore does.
    /// </summary>
    public string? IamInstanceProfileArn { get; set; }

    /// <summary>The instance profile's id (<c>iamInstanceProfile.id</c>, <c>AIPA...</c>), or null.</summary>
    public string? IamInstanceProfileId { get; set; }

    public string SubnetId { get; set; } = string.Empty;

    public string VpcId { get; set; } = string.Empty;

    public string AvailabilityZone { get; set; } = string.Empty;

    public string PrivateIpAddress { get; set; } = string.Empty;

    /// <summary>Public IPv4 while the instance is not stopped or terminated (AWS releases it then).</summary>
    public string? PublicIpAddress { get; set; }

    /// <summary>Whether the instance gets a public IPv4 whenever it runs (subnet default or the launch's choice).</summary>
    public bool AssociatePublicIp { get; set; }

    /// <summary>The primary network interface (EC2 reports one per instance in <c>networkInterfaceSet</c>).</summary>
    public string NetworkInterfaceId { get; set; } = string.Empty;

    public string MacAddress { get; set; } = string.Empty;

    /// <summary>The root EBS volume shown in <c>blockDeviceMapping</c>.</summary>
    public string RootVolumeId { get; set; } = string.Empty;

    public List<string> SecurityGroupIds { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    public Ec2InstanceState State { get; set; }

    public DateTimeOffset LaunchTime { get; set; }

    public int AmiLaunchIndex { get; set; }

    public string? ClientToken { get; set; }

    /// <summary>User data as sent (base64), returned by DescribeInstanceAttribute in AWS; the machine gets it decoded.</summary>
    public string? UserData { get; set; }

    public string StateTransitionReason { get; set; } = string.Empty;

    public string? StateReasonCode { get; set; }

    public string? StateReasonMessage { get; set; }

    public DateTimeOffset? TerminatedAt { get; set; }

    /// <summary>When the instance last reached running (status checks pass a little later).</summary>
    public DateTimeOffset? RunningSince { get; set; }

    /// <summary>User data runs once, on the first boot (cloud-init); later boots only restart enabled services.</summary>
    public bool FirstBootDone { get; set; }

    /// <summary>The machine's last snapshot, so a restart brings the instance back as it was.</summary>
    public MachineState? Machine { get; set; }

    /// <summary>Termination protection: the TerminateInstances API refuses the instance (Auto Scaling ignores it, as on AWS).</summary>
    public bool DisableApiTermination { get; set; }

    /// <summary>Stop protection: the StopInstances API refuses the instance.</summary>
    public bool DisableApiStop { get; set; }

    public string? LaunchTemplateId { get; set; }

    public string? LaunchTemplateVersion { get; set; }

    /// <summary>Detailed monitoring (RunInstances <c>Monitoring.Enabled</c>).</summary>
    public bool MonitoringEnabled { get; set; }

    public bool EbsOptimized { get; set; }

    public bool HibernationConfigured { get; set; }

    /// <summary>Source/destination checking (ModifyInstanceAttribute <c>SourceDestCheck</c>); on by default.</summary>
    public bool SourceDestCheck { get; set; } = true;
}
