using Amazon.EC2;
using Amazon.Runtime;
using LabPortal.Aws.Core;
using Ec2Api = Amazon.EC2.Model;

namespace LabPortal.Tests.Aws.Contract.Moto;

/// <summary>STS AssumeRole through AWSSDK.SecurityToken against moto, then a signed call with the session token.</summary>
[Trait("Category", "Moto")]
public sealed class MotoCredentialsTests(MotoServerFixture moto) : IClassFixture<MotoServerFixture>
{
    [Fact]
    public async Task AssumeRole_returns_session_credentials_that_sign_calls_when_account_pool_is_used()
    {
        using var assumed = (StsAssumeRoleCredentials)AwsCredentials.AssumeRole(
            AwsCredentials.Static(moto.AccessKey, moto.SecretKey),
            "arn:aws:iam::123456789012:role/lab-portal-learner",
            "learner-kim",
            moto.Region,
            moto.Endpoint,
            TimeSpan.FromMinutes(15));

        ImmutableCredentials credentials = await assumed.GetCredentialsAsync();

        Assert.True(credentials.UseToken);
        Assert.NotEqual(moto.AccessKey, credentials.AccessKey);

        using var ec2 = new AmazonEC2Client(assumed, new AmazonEC2Config { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = moto.Region });
        var regions = await ec2.DescribeRegionsAsync(new Ec2Api.DescribeRegionsRequest());
        Assert.Contains(regions.Regions!, r => r.RegionName == moto.Region);
    }
}
