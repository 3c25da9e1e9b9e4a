using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Core;
using LabPortal.Aws.Elbv2;
using LabPortal.Tests.Aws.Responses;
using LabPortal.Tests.Aws.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Aws.Transport;

public sealed class EndpointsAndFactoryTests
{
    [Theory]
    [InlineData("elbv2", "us-east-1", "https://elasticloadbalancing.us-east-1.amazonaws.com/")]
    [InlineData("autoscaling", "eu-west-1", "https://autoscaling.eu-west-1.amazonaws.com/")]
    [InlineData("elbv2", "cn-north-1", "https://elasticloadbalancing.cn-north-1.amazonaws.com.cn/")]
    public void Config_resolves_regional_endpoint_when_no_service_url(string service, string region, string expected)
    {
        ClientConfig config = service == "elbv2" ? new AmazonElasticLoadBalancingV2Config() : new AmazonAutoScalingConfig();
        config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        AmazonWebServiceRequest request = service == "elbv2" ? new DescribeTargetGroupsRequest() : new DescribeAutoScalingGroupsRequest();

        Assert.Equal(expected, config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(request)).URL);
    }

    [Fact]
    public void Config_resolves_the_service_url_for_every_service_when_it_is_set()
    {
        var configs = new ClientConfig[] { new AmazonElasticLoadBalancingV2Config(), new AmazonAutoScalingConfig() };

        Assert.All(configs, c =>
        {
            c.ServiceURL = "http://localhost:4566/";
            c.AuthenticationRegion = "ap-northeast-2";
            Assert.Equal("http://localhost:4566/", c.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new DescribeTargetGroupsRequest())).URL);
        });
    }

    [Fact]
    public async Task Client_sends_to_the_regional_host_and_signs_for_its_region_when_given_a_region()
    {
        var handler = new FakeAwsHandler(_ => new(HttpStatusCode.OK, AwsExamples.ElbDescribeTargetHealth));
        var elb = TestClients.Create(handler, configure: c =>
        {
            c.ServiceURL = null;
            c.AuthenticationRegion = null;
            c.RegionEndpoint = RegionEndpoint.EUWest1;
        }).Elbv2;

        await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "arn" });

        Assert.Equal(("https", "elasticloadbalancing.eu-west-1.amazonaws.com", "/"), (handler.Requests[0].Uri.Scheme, handler.Requests[0].Uri.Host, handler.Requests[0].Uri.AbsolutePath));
        Assert.Contains("/eu-west-1/elasticloadbalancing/aws4_request", handler.Requests[0].Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public void Config_carries_the_service_facts_when_created()
    {
        var elb = new AmazonElasticLoadBalancingV2Config();
        var asg = new AmazonAutoScalingConfig();

        Assert.Equal(("elasticloadbalancing", "2015-12-01", "elasticloadbalancing"), (elb.RegionEndpointServiceName, elb.ServiceVersion, elb.AuthenticationServiceName));
        Assert.Equal(("autoscaling", "2011-01-01", "autoscaling"), (asg.RegionEndpointServiceName, asg.ServiceVersion, asg.AuthenticationServiceName));
        Assert.Contains("aws-sdk-dotnet", elb.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLabPortalAws_registers_shared_limiter_metrics_and_telemetry_when_added_to_a_container()
    {
        using var provider = new ServiceCollection().AddLogging().AddLabPortalAws().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<AwsRateLimiter>(), provider.GetRequiredService<AwsRateLimiter>());
        Assert.Same(provider.GetRequiredService<AwsMetrics>(), provider.GetRequiredService<AwsMetrics>());
        Assert.Same(provider.GetRequiredService<AwsCallTelemetry>(), provider.GetRequiredService<AwsCallTelemetry>());
    }
}
