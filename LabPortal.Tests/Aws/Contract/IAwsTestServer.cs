namespace LabPortal.Tests.Aws.Contract;

/// <summary>
/// The seam of the contract suite: an AWS-compatible endpoint and an account on it. A lane (moto,
/// the in-process sandbox) is one fixture implementing this plus one derived class per contract suite.
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
