using System.Net;
using System.Text;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Services.Ec2;

namespace LabPortal.Tests.Sandbox;

/// <summary>Malformed, mistyped, huge and random requests: the sandbox answers AWS errors, never a 5xx.</summary>
public sealed class SandboxFuzzTests : IAsyncLifetime
{
    private static readonly string[] Names =
    [
        "ImageId", "InstanceType", "MinCount", "MaxCount", "SubnetId", "SecurityGroupId.1", "SecurityGroupId.0", "SecurityGroupId.99999999999999999999",
        "UserData", "InstanceId.1", "InstanceId.2", "InstanceId", "Filter.1.Name", "Filter.1.Value.1", "Filter.1.Value", "GroupId", "GroupName",
        "GroupDescription", "VpcId", "IpPermissions.1.IpProtocol", "IpPermissions.1.FromPort", "IpPermissions.1.ToPort", "IpPermissions.1.IpRanges.1.CidrIp",
        "IpPermissions.1.Groups.1.GroupId", "ResourceId.1", "Tag.1.Key", "Tag.1.Value", "TagSpecification.1.ResourceType", "TagSpecification.1.Tag.1.Key",
        "MaxResults", "NextToken", "DryRun", "ClientToken", "LaunchTemplateName", "LaunchTemplateId", "LaunchTemplateData.ImageId",
        "LaunchTemplate.LaunchTemplateName", "LaunchTemplate.Version", "LaunchTemplateVersion.1", "MinVersion", "Placement.AvailabilityZone",
        "NetworkInterface.1.SubnetId", "NetworkInterface.1.AssociatePublicIpAddress", "Owner.1", "RegionName.1", "ZoneName.1", "SecurityGroupRuleId.1",
        "CidrIp", "IpProtocol", "FromPort", "ToPort", "SourceSecurityGroupName", "Latest", "Force",
    ];

    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() => (_server, _account, _client) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Api_never_answers_5xx_when_requests_are_random_or_malformed()
    {
        var random = new Random(20261122);
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var actions = _server.Services.GetService(typeof(Ec2Service)) is Ec2Service ec2 ? ec2.Actions.ToList() : [];
        actions.AddRange(["", "Describe", "describeinstances", "RunInstances\0", new string('A', 5000)]);
        var failures = new List<string>();
        using var raw = new HttpClient();

        for (var i = 0; i < 400; i++)
        {
            ApiCall call;
            var kind = random.Next(10);
            if (kind < 7)
            {
                var parameters = Enumerable.Range(0, random.Next(0, 8))
                    .Select(_ => (Names[random.Next(Names.Length)], RandomValue(random, ami)))
                    .ToList();
                call = await _client.Ec2Async(actions[random.Next(actions.Count)], [.. parameters]);
            }
            else if (kind == 7)
            {
                var garbage = new byte[random.Next(0, 4096)];
                random.NextBytes(garbage);
                call = await _client.SendRawAsync("ec2", garbage, random.Next(2) == 0 ? "application/x-www-form-urlencoded" : "application/octet-stream");
            }
            else if (kind == 8)
            {
                call = await _client.SendRawAsync("ec2", Encoding.UTF8.GetBytes("Action=DescribeVpcs"), "application/x-www-form-urlencoded", request =>
                {
                    request.Headers.Remove("Authorization");
                    request.Headers.TryAddWithoutValidation("Authorization", RandomAuthorization(random));
                });
            }
            else
            {
                var body = Encoding.UTF8.GetBytes("Action=DescribeVpcs&%%%=%G0&=&&Filter.%FF.Name=" + new string('x', random.Next(0, 70000)));
                call = await _client.SendRawAsync(random.Next(2) == 0 ? "ec2" : "ssm", body, "application/x-www-form-urlencoded", target: random.Next(2) == 0 ? "AmazonSSM.GetParameter" : null);
            }

            if ((int)call.Status >= 500)
            {
                failures.Add($"{(int)call.Status}: {call.Body}");
            }
        }

        using var get = await raw.GetAsync(new Uri(_server.Endpoints.Api, "/?Action=DescribeVpcs&Version=2016-11-15"));
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Empty(failures);
        (await _client.Ec2Async("DescribeVpcs")).EnsureOk();
    }

    private static string RandomValue(Random random, string ami) => random.Next(14) switch
    {
        0 => string.Empty,
        1 => new string('9', random.Next(1, 40)),
        2 => "-" + random.Next(),
        3 => new string('z', random.Next(1000, 70000)),
        4 => "i-0123456789abcdef0",
        5 => "sg-" + random.Next(),
        6 => ami,
        7 => "true",
        8 => "1",
        9 => "é∂😀\u0000<xml>&amp;",
        10 => "0.0.0.0/0",
        11 => "tcp",
        12 => "$Latest",
        _ => Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\necho hi")),
    };

    private string RandomAuthorization(Random random) => random.Next(5) switch
    {
        0 => "AWS4-HMAC-SHA256",
        1 => "AWS4-HMAC-SHA256 Credential=" + _account.AccessKeyId,
        2 => $"AWS4-HMAC-SHA256 Credential={_account.AccessKeyId}/2025/x/ec2/aws4_request, SignedHeaders=host, Signature=00",
        3 => "Basic dXNlcjpwYXNz",
        _ => $"AWS4-HMAC-SHA256 Credential={_account.AccessKeyId}/20250101/ap-northeast-2/ec2/aws4_request, SignedHeaders=;;;, Signature=" + new string('f', 64),
    };
}
