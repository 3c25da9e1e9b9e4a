using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Ec2;
using LabPortal.Aws.Elbv2;
using LabPortal.Aws.Ssm;

namespace LabPortal.Aws.Core;

/// <summary>The four typed clients of one account, as <see cref="AwsClientFactory.CreateAll"/> returns them.</summary>
/// <param name="Ec2">The EC2 client.</param>
/// <param name="Elbv2">The ELBv2 client.</param>
/// <param name="AutoScaling">The Auto Scaling client.</param>
/// <param name="Ssm">The SSM client.</param>
public sealed record AwsClients(Ec2Client Ec2, Elbv2Client Elbv2, AutoScalingClient AutoScaling, SsmClient Ssm);
