using System.Net;
using System.Text;
using System.Text.Json;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;

namespace LabPortal.Tests.Sandbox;

/// <summary>The gateway's strictness, one behaviour per test: error protocol, Version, digits in ELBv2 codes.</summary>
public sealed class SandboxStrictGatewayTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() => (_server, _account, _client) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=KEY/20261207/ap-northeast-2/x/ssm/aws4_request, SignedHeaders=host, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 Credential=KEY/20261207/../../ssm/aws4_request, SignedHeaders=host, Signature=00")]
    public async Task Ssm_answers_a_JSON_error_when_the_Authorization_header_is_malformed(string authorization)
    {
        var call = await _client.SendRawAsync("ssm", "{}"u8.ToArray(), "application/x-amz-json-1.1", request =>
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("KEY", _account.AccessKeyId, StringComparison.Ordinal));
        }, target: "AmazonSSM.ListCommandInvocations");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("IncompleteSignatureException", JsonDocument.Parse(call.Body).RootElement.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Ssm_answers_a_JSON_error_naming_ssm_when_the_call_is_signed_for_ec2()
    {
        var call = await _client.SendRawAsync("ec2", "{}"u8.ToArray(), "application/x-amz-json-1.1", target: "AmazonSSM.ListCommandInvocations");

        var error = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("IncompleteSignatureException", error.GetProperty("__type").GetString());
        Assert.Equal("Credential should be scoped to correct service: 'ssm'.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("ec2", "DescribeVpcs", "2099-01-01", "NoSuchVersion")]
    [InlineData("ec2", "DescribeVpcs", "", "MissingParameter")]
    [InlineData("elasticloadbalancing", "DescribeLoadBalancers", "2012-06-01", "InvalidAction")]
    [InlineData("autoscaling", "DescribeAutoScalingGroups", "2099-01-01", "InvalidAction")]
    public async Task Query_call_is_refused_when_its_Version_is_not_the_service_API_version(string service, string action, string version, string code)
    {
        var form = $"Action={action}" + (version.Length > 0 ? $"&Version={version}" : string.Empty);

        var call = await _client.SendRawAsync(service, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(code, call.ErrorCode);
    }

    [Theory]
    [InlineData("٢٠٠")]
    [InlineData("２００")]
    [InlineData("200\n")]
    public async Task Elbv2_refuses_Matcher_and_fixed_response_codes_when_they_are_not_ASCII_digits(string code)
    {
        var vpc = (await _client.Ec2Async("DescribeVpcs")).EnsureOk().Value("vpcId");
        var subnets = (await _client.Ec2Async("DescribeSubnets")).EnsureOk().Values("subnetId").Take(2).ToList();
        var lb = (await Elb("CreateLoadBalancer", ("Name", "digits-lb"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[1]))).EnsureOk().Value("LoadBalancerArn");

        var matcher = await Elb("CreateTargetGroup", ("Name", "digits-tg"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc), ("Matcher.HttpCode", code));
        var listener = await Elb(
            "CreateListener",
            ("LoadBalancerArn", lb),
            ("Protocol", "HTTP"),
            ("Port", "80"),
            ("DefaultActions.member.1.Type", "fixed-response"),
            ("DefaultActions.member.1.FixedResponseConfig.StatusCode", code));

        Assert.Equal(("ValidationError", HttpStatusCode.BadRequest), (matcher.ErrorCode, matcher.Status));
        Assert.Equal(("ValidationError", HttpStatusCode.BadRequest), (listener.ErrorCode, listener.Status));
        Assert.Empty((await Elb("DescribeListeners", ("LoadBalancerArn", lb))).EnsureOk().Values("ListenerArn"));
    }

    [Theory]
    [InlineData("CreateSecurityGroup", "GroupName", "InvalidParameterValue")]
    [InlineData("CreateLaunchTemplate", "LaunchTemplateName", "InvalidLaunchTemplateName.MalformedException")]
    public async Task Ec2_refuses_a_name_when_it_ends_with_a_newline(string action, string parameter, string code)
    {
        var extra = action == "CreateSecurityGroup" ? ("GroupDescription", "web") : ("LaunchTemplateData.InstanceType", "t3.micro");

        var call = await _client.Ec2Async(action, (parameter, "lab-web\n"), extra);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal(code, call.ErrorCode);
    }

    private Task<ApiCall> Elb(string action, params (string Name, string Value)[] parameters) =>
        _client.CallAsync("elasticloadbalancing", action, "2015-12-01", parameters);
}
