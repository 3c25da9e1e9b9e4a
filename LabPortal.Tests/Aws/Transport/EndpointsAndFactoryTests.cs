using LabPortal.Aws.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Aws.Transport;

public sealed class EndpointsAndFactoryTests
{
    [Theory]
    [InlineData("elbv2", "us-east-1", "https://elasticloadbalancing.us-east-1.amazonaws.com/")]
    [InlineData("autoscaling", "eu-west-1", "https://autoscaling.eu-west-1.amazonaws.com/")]
    [InlineData("elbv2", "cn-north-1", "https://elasticloadbalancing.cn-north-1.amazonaws.com.cn/")]
    public void Resolve_returns_regional_endpoint_when_no_override(string service, string region, string expected)
    {
        var descriptor = service switch
        {
            "elbv2" => AwsServiceDescriptor.Elbv2,
            _ => AwsServiceDescriptor.AutoScaling,
        };

        Assert.Equal(new Uri(expected), AwsEndpoints.Resolve(descriptor, region, null));
    }

    [Fact]
    public void Resolve_returns_the_override_for_every_service_when_service_url_is_set()
    {
        var sandbox = new Uri("http://localhost:4566/");

        Assert.All(
            new[] { AwsServiceDescriptor.Elbv2, AwsServiceDescriptor.AutoScaling },
            d => Assert.Equal(sandbox, AwsEndpoints.Resolve(d, "ap-northeast-2", sandbox)));
    }

    [Fact]
    public void AddLabPortalAws_registers_a_factory_when_added_to_a_container()
    {
        using var provider = new ServiceCollection().AddLogging().AddLabPortalAws().BuildServiceProvider();

        var factory = provider.GetRequiredService<AwsClientFactory>();
        var elb = factory.CreateElbv2Client(AwsClientOptions.ForStaticKeys("ap-northeast-2", "AKID", "secret", new Uri("http://localhost:4566/")));

        Assert.Same(factory, provider.GetRequiredService<AwsClientFactory>());
        Assert.NotNull(elb);
    }
}
