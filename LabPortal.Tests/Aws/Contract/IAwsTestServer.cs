namespace LabPortal.Tests.Aws.Contract;

/// <summary>
/// The seam of the contract suite: an AWS-compatible endpoint and an account on it. A lane (moto,
/// the in-process sandbox) is one fixture implementing this (plus <c>IAsyncLifetime</c> to start and
/// stop the server) and one derived class per contract suite, e.g.
/// <c>public sealed class SandboxLab1ContractTests(SandboxServerFixture f) : Lab1ContractTests(f), IClassFixture&lt;SandboxServerFixture&gt;;</c>
/// The server must offer, in <see cref="Region"/>: a default VPC (<c>is-default=true</c>) with default
/// subnets in the <c>a</c> and <c>c</c> zones; at least one image for <c>DescribeImages Owners=amazon,
/// state=available</c>; the public SSM parameter
/// <c>/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64</c>; and SSM
/// <c>AWS-RunShellScript</c>. The suites tolerate eventual consistency (they poll for instance states and
/// retry teardown on DependencyViolation/ResourceInUse), so a server with realistic timing passes too.
/// </summary>
public interface IAwsTestServer
{
    /// <summary>A short lane name for messages (<c>moto</c>, <c>sandbox</c>).</summary>
    string Name { get; }

    /// <summary>The one endpoint for EC2, ELBv2, Auto Scaling and SSM.</summary>
    Uri Endpoint { get; }

    string AccessKey { get; }

    string SecretKey { get; }

    /// <summary>A region with a default VPC and default subnets in its a and c zones (<c>ap-northeast-2</c>).</summary>
    string Region { get; }
}
