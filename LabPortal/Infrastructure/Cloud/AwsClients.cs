using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// The clients of one learner credential in one region: EC2 and SSM from the AWS SDK for .NET,
/// ELBv2 and Auto Scaling from <c>LabPortal.Aws</c>. They come from <see cref="CloudClientFactory"/>,
/// which owns and disposes them; callers never dispose or construct them.
/// </summary>
public sealed class AwsClients(IAmazonEC2 ec2, IAmazonElasticLoadBalancingV2 elbv2, IAmazonAutoScaling autoScaling, IAmazonSimpleSystemsManagement ssm)
{
    public IAmazonEC2 Ec2 { get; } = ec2;

    public IAmazonElasticLoadBalancingV2 Elbv2 { get; } = elbv2;

    public IAmazonAutoScaling AutoScaling { get; } = autoScaling;

    public IAmazonSimpleSystemsManagement Ssm { get; } = ssm;

    /// <summary>Credentials these clients own (an account pool's STS session), disposed with them.</summary>
    internal IDisposable? OwnedCredentials { get; init; }

    internal void Dispose()
    {
        OwnedCredentials?.Dispose();
        Ec2.Dispose();
        Ssm.Dispose();
        Elbv2.Dispose();
        AutoScaling.Dispose();
    }
}
