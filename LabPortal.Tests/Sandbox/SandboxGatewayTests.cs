using System.Net;
using System.Text;
using System.Text.Json;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

public sealed class SandboxGatewayTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync()
    {
        (_server, _account, _client) = await TestSandbox.StartWithAccountAsync(
            _machines,
            TestSandbox.Options(playground: true),
            services =>
            {
                services.AddSandboxApiService<ProbeQueryService>();
                services.AddSandboxApiService<ProbeJsonService>();
            });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ec2_answers_AuthFailure_401_when_secret_is_wrong()
    {
        var client = new SandboxApiClient(_server.Endpoints.Api, _account.AccessKeyId, "x" + _account.SecretAccessKey[1..]);

        var call = await client.Ec2Async("DescribeVpcs");

        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        Assert.Equal("AuthFailure", call.ErrorCode);
    }

    [Fact]
    public async Task Ec2_answers_AuthFailure_401_when_access_key_is_unknown()
    {
        var client = new SandboxApiClient(_server.Endpoints.Api, "AKIAUNKNOWNUNKNOWN00", _account.SecretAccessKey);

        var call = await client.Ec2Async("DescribeVpcs");

        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        Assert.Equal("AuthFailure", call.ErrorCode);
    }

    [Fact]
    public async Task Ec2_refuses_body_changed_after_signing()
    {
        var body = Encoding.UTF8.GetBytes("Action=DescribeVpcs&Version=2016-11-15");

        var call = await _client.SendRawAsync("ec2", body, "application/x-www-form-urlencoded; charset=utf-8", request =>
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("Action=DeleteSecurityGroup&Version=2016-11-15&GroupName=x")) { Headers = { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" } } });

        Assert.Equal("AuthFailure", call.ErrorCode);
    }

    [Fact]
    public async Task Ec2_answers_MissingParameter_when_request_is_unsigned()
    {
        var call = await _client.SendRawAsync("ec2", Encoding.UTF8.GetBytes("Action=DescribeVpcs&Version=2016-11-15"), "application/x-www-form-urlencoded", sign: false);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("MissingParameter", call.ErrorCode);
    }

    [Fact]
    public async Task Ec2_answers_RequestExpired_when_signature_is_an_hour_old()
    {
        var body = Encoding.UTF8.GetBytes("Action=DescribeVpcs&Version=2016-11-15");
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoints.Api) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        TestSigV4Signer.Sign(request, body, _account.AccessKeyId, _account.SecretAccessKey, "ap-northeast-2", "ec2", DateTimeOffset.UtcNow.AddHours(-1));
        using var http = new HttpClient();

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>RequestExpired</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ec2_answers_InvalidAction_400_when_action_is_unknown()
    {
        var call = await _client.Ec2Async("LaunchRocket");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidAction", call.ErrorCode);
        Assert.Equal("Response", call.Xml.Root!.Name.LocalName);
    }

    [Fact]
    public async Task Account_B_gets_NotFound_when_it_names_account_A_resources()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var groupId = (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "mine"), ("GroupDescription", "owned by a"))).EnsureOk().Value("groupId");
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("MinCount", "1"), ("MaxCount", "1"))).EnsureOk().Value("instanceId");
        var other = new SandboxApiClient(_server.Endpoints.Api, await _server.CreateAccountAsync("learner-b"));

        var instance = await other.Ec2Async("DescribeInstances", ("InstanceId.1", instanceId));
        var group = await other.Ec2Async("DescribeSecurityGroups", ("GroupId.1", groupId));
        var terminate = await other.Ec2Async("TerminateInstances", ("InstanceId.1", instanceId));
        var all = (await other.Ec2Async("DescribeInstances")).EnsureOk();
        var sameName = await other.Ec2Async("CreateSecurityGroup", ("GroupName", "mine"), ("GroupDescription", "owned by b"));

        Assert.Equal("InvalidInstanceID.NotFound", instance.ErrorCode);
        Assert.Equal("InvalidGroup.NotFound", group.ErrorCode);
        Assert.Equal("InvalidInstanceID.NotFound", terminate.ErrorCode);
        Assert.Empty(all.Values("instanceId"));
        sameName.EnsureOk();
        Assert.NotEqual(
            (await _client.Ec2Async("DescribeVpcs")).Value("vpcId"),
            (await other.Ec2Async("DescribeVpcs")).Value("vpcId"));
    }

    [Fact]
    public async Task Playground_account_signs_with_test_test_when_allowed()
    {
        var playground = new SandboxApiClient(_server.Endpoints.Api, "test", "test");

        var call = await playground.Ec2Async("DescribeVpcs");

        call.EnsureOk();
        Assert.Equal(SandboxAccountStore.PlaygroundAccountId, call.Value("ownerId"));
    }

    [Fact]
    public async Task Query_service_wraps_result_and_reads_member_lists()
    {
        var call = await _client.CallAsync("queryprobe", "DescribeProbe", "2015-12-01", [("Name", "lb"), ("Ports.member.2", "443"), ("Ports.member.1", "80")]);

        call.EnsureOk();
        Assert.Equal("DescribeProbeResponse", call.Xml.Root!.Name.LocalName);
        Assert.Equal("http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/", call.Xml.Root.Name.NamespaceName);
        Assert.Equal(["80", "443"], call.Values("member"));
        Assert.Equal(call.RequestIdHeader, call.Value("RequestId"));
    }

    [Fact]
    public async Task Query_service_answers_ValidationError_Sender_when_parameter_is_missing()
    {
        var call = await _client.CallAsync("queryprobe", "DescribeProbe", "2015-12-01", []);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("ErrorResponse", call.Xml.Root!.Name.LocalName);
        Assert.Equal("ValidationError", call.ErrorCode);
        Assert.Equal("Sender", call.Value("Type"));
    }

    [Fact]
    public async Task Query_service_answers_InvalidAction_when_action_is_unknown_and_empty_result_when_no_output()
    {
        var unknown = await _client.CallAsync("queryprobe", "Nope", "2015-12-01", []);
        var empty = (await _client.CallAsync("queryprobe", "DeleteProbe", "2015-12-01", [])).EnsureOk();

        Assert.Equal("InvalidAction", unknown.ErrorCode);
        Assert.Empty(empty.Values("DeleteProbeResult"));
        Assert.Single(empty.Values("RequestId"));
    }

    [Fact]
    public async Task Query_service_answers_SignatureDoesNotMatch_403_when_secret_is_wrong()
    {
        var client = new SandboxApiClient(_server.Endpoints.Api, _account.AccessKeyId, "wrong");

        var call = await client.CallAsync("queryprobe", "DescribeProbe", "2015-12-01", [("Name", "x")]);

        Assert.Equal(HttpStatusCode.Forbidden, call.Status);
        Assert.Equal("SignatureDoesNotMatch", call.ErrorCode);
    }

    [Fact]
    public async Task Json_service_dispatches_by_target_and_answers_json_errors()
    {
        var ok = await JsonAsync(_client, "AmazonSSM.GetProbe", """{"Name":"/x"}""");
        var unknown = await JsonAsync(_client, "AmazonSSM.Nope", "{}");
        var garbage = await JsonAsync(_client, "AmazonSSM.GetProbe", "{not json");
        var wrong = await JsonAsync(new SandboxApiClient(_server.Endpoints.Api, _account.AccessKeyId, "wrong"), "AmazonSSM.GetProbe", "{}");
        var unknownKey = await JsonAsync(new SandboxApiClient(_server.Endpoints.Api, "AKIANOBODYNOBODY0000", "x"), "AmazonSSM.GetProbe", "{}");

        ok.EnsureOk();
        Assert.Equal(_account.AccountId, JsonDocument.Parse(ok.Body).RootElement.GetProperty("Account").GetString());
        Assert.Equal("UnknownOperationException", JsonType(unknown));
        Assert.Equal("SerializationException", JsonType(garbage));
        Assert.Equal("InvalidSignatureException", JsonType(wrong));
        Assert.Equal("UnrecognizedClientException", JsonType(unknownKey));
        Assert.All(new[] { unknown, garbage, wrong, unknownKey }, c => Assert.Equal(HttpStatusCode.BadRequest, c.Status));
    }

    [Fact]
    public async Task Unknown_service_in_credential_scope_answers_400()
    {
        var call = await _client.CallAsync("s3", "ListBuckets", "2006-03-01", []);

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidAction", call.ErrorCode);
    }

    [Fact]
    public void QueryParameters_reads_nested_ec2_lists_in_index_order()
    {
        var values = new Dictionary<string, string>
        {
            ["Filter.2.Name"] = "tag:Name",
            ["Filter.2.Value.1"] = "web",
            ["Filter.1.Name"] = "instance-state-name",
            ["Filter.1.Value.10"] = "stopped",
            ["Filter.1.Value.2"] = "running",
            ["TagSpecification.1.Tag.1.Key"] = "k",
            ["TagSpecification.1.Tag.1.Value"] = "v",
        };
        var parameters = new QueryParameters(values, WireProtocol.Ec2);

        var filters = parameters.GetFilters();
        var tags = parameters.GetStructs("TagSpecification")[0].GetTags("Tag");

        Assert.Equal(["instance-state-name", "tag:Name"], filters.Select(f => f.Name));
        Assert.Equal(["running", "stopped"], filters[0].Values);
        Assert.Equal("v", tags.Single(t => t.Key == "k").Value);
    }

    private static async Task<ApiCall> JsonAsync(SandboxApiClient client, string target, string json) =>
        await client.SendRawAsync("ssm", Encoding.UTF8.GetBytes(json), "application/x-amz-json-1.1", request => { }, sign: true, target: target);

    private static string? JsonType(ApiCall call) => JsonDocument.Parse(call.Body).RootElement.GetProperty("__type").GetString();
}
