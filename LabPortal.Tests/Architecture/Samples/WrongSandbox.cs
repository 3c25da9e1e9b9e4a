using LabPortal.Aws.Elbv2;

namespace LabPortal.Tests.Architecture.Samples.WrongSandbox;

/// <summary>Breaks "the sandbox never references the AWS clients": a sandbox-side type holding a client (a sample for <see cref="ArchitectureRulesFailTests"/>).</summary>
public sealed class SandboxTypeUsingAClient(IAmazonElasticLoadBalancingV2 client)
{
    public IAmazonElasticLoadBalancingV2 Client => client;
}
