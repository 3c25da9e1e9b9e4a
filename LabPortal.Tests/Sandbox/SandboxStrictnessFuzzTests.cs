using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Wire.Validation;
using Xunit.Abstractions;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// Issue 12's fuzz: the operations the labs use × wrong types, bounds, non-ASCII digits, trailing
/// newlines, encodings and signatures, each case named from the review that found them, plus a seeded
/// random walk over the operations' botocore input shapes. Every answer must be below 500, every
/// error must parse with botocore's own parsers into the code AWS documents, and no command may stay
/// in progress. Bounded (fixed seed, fixed count) so it runs in seconds.
/// </summary>
[Trait("Category", "Boto3")]
public sealed class SandboxStrictnessFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RandomCases = 400;

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    private static readonly Dictionary<string, string[]> LabOperations = new(StringComparer.Ordinal)
    {
        ["elasticloadbalancing"] =
        [
            "CreateTargetGroup", "ModifyTargetGroup", "DescribeTargetGroups", "RegisterTargets", "DeregisterTargets", "DescribeTargetHealth",
            "CreateLoadBalancer", "DescribeLoadBalancers", "CreateListener", "DescribeListeners", "CreateRule", "DescribeRules",
            "ModifyTargetGroupAttributes", "DescribeTargetGroupAttributes", "AddTags", "DescribeTags", "DeleteTargetGroup", "DeleteLoadBalancer",
        ],
        ["autoscaling"] =
        [
            "CreateAutoScalingGroup", "DescribeAutoScalingGroups", "UpdateAutoScalingGroup", "SetDesiredCapacity", "DeleteAutoScalingGroup",
            "AttachLoadBalancerTargetGroups", "CreateOrUpdateTags", "DescribeTags", "DescribeScalingActivities", "DescribeAutoScalingInstances",
        ],
        ["ssm"] = ["GetParameter", "GetParameters", "SendCommand", "GetCommandInvocation", "ListCommandInvocations"],
    };

    private static readonly string[] Ec2Operations =
    [
        "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "DescribeImages",
        "RunInstances", "DescribeInstances", "DescribeInstanceStatus", "CreateLaunchTemplate", "DescribeLaunchTemplates",
        "DescribeLaunchTemplateVersions", "DescribeAvailabilityZones", "DescribeTags", "CreateTags", "GetConsoleOutput",
    ];

    private static readonly string[] Ec2Parameters =
    [
        "GroupName", "GroupDescription", "GroupId", "VpcId", "ImageId", "InstanceType", "MinCount", "MaxCount", "MaxResults", "NextToken",
        "InstanceId.1", "Filter.1.Name", "Filter.1.Value.1", "LaunchTemplateName", "LaunchTemplateData.InstanceType", "IpPermissions.1.FromPort",
        "IpPermissions.1.ToPort", "IpPermissions.1.IpProtocol", "IpPermissions.1.IpRanges.1.CidrIp", "ResourceId.1", "Tag.1.Key", "Tag.1.Value",
        "DryRun", "ZoneName.1", "MinVersion", "LaunchTemplateVersion.1",
    ];

    private readonly FakeMachineFactory _machines = new();
    private readonly List<BotocoreErrorCheck.Case> _errors = [];
    private readonly List<string> _serverErrors = [];
    private int _requests;
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() => (_server, _account, _client) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Api_answers_every_malformed_request_with_a_4xx_botocore_reads_and_leaves_no_command_running()
    {
        var clock = Stopwatch.StartNew();
        var fixture = await PrepareAsync();

        await ReviewedCasesAsync(fixture);
        await SignatureCasesAsync();
        await RandomCasesAsync(new Random(20261207), fixture);

        // A command the validation let through must end; one it refused must never have started.
        await SendAsync("ssm valid command", "ssm", Json(new { DocumentName = "AWS-RunShellScript", InstanceIds = new[] { fixture.InstanceId }, Parameters = new { commands = new[] { "echo hi" } }, TimeoutSeconds = 30 }), "SendCommand", expectOk: true);
        var stuck = await StuckInvocationsAsync(TimeSpan.FromSeconds(20));

        var (exitCode, parsed) = await BotocoreErrorCheck.RunAsync(_errors);
        output.WriteLine($"{_requests} requests, {_errors.Count} errors checked by botocore, {_serverErrors.Count} 5xx or unexpected successes, {stuck.Count} stuck invocations, {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(parsed);

        Assert.Empty(_serverErrors);
        Assert.Empty(stuck);
        Assert.True(exitCode == 0, parsed);
        Assert.Contains($"parsed {_errors.Count} of {_errors.Count} errors", parsed, StringComparison.Ordinal);
        Assert.True(_errors.Count > RandomCases / 2, $"only {_errors.Count} errors were produced");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"the fuzz took {clock.Elapsed}");
    }

    /// <summary>Invocations still pending or in progress once <paramref name="within"/> has passed (the time scale makes AWS's 30 s minimum timeout 30 ms).</summary>
    private async Task<List<string>> StuckInvocationsAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var list = await SendAsync("ssm list", "ssm", "{}"u8.ToArray(), "ListCommandInvocations", expectOk: true);
            var running = JsonDocument.Parse(list).RootElement.GetProperty("CommandInvocations").EnumerateArray()
                .Where(i => i.GetProperty("Status").GetString() is "Pending" or "InProgress")
                .Select(i => $"{i.GetProperty("CommandId").GetString()} on {i.GetProperty("InstanceId").GetString()}")
                .ToList();
            if (running.Count == 0 || DateTime.UtcNow > deadline)
            {
                return running;
            }

            await Task.Delay(50);
        }
    }

    private sealed record Fixture(string InstanceId, string TargetGroupArn, string LoadBalancerArn, string VpcId);

    private async Task<Fixture> PrepareAsync()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var instanceId = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"), ("IamInstanceProfile.Name", TestSandbox.InstanceProfileName))).EnsureOk().Value("instanceId");
        await TestSandbox.WaitForStateAsync(_client, instanceId, "running");
        var vpc = (await _client.Ec2Async("DescribeVpcs")).EnsureOk().Value("vpcId");
        var subnets = (await _client.Ec2Async("DescribeSubnets")).EnsureOk().Values("subnetId").Take(2).ToList();
        var tg = (await ElbAsync("CreateTargetGroup", ("Name", "fuzz-tg"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpc))).EnsureOk().Value("TargetGroupArn");
        var lb = (await ElbAsync("CreateLoadBalancer", ("Name", "fuzz-lb"), ("Subnets.member.1", subnets[0]), ("Subnets.member.2", subnets[1]))).EnsureOk().Value("LoadBalancerArn");
        return new Fixture(instanceId, tg, lb, vpc);
    }

    /// <summary>Each request the 2026-12-07 review sent, with the code AWS answers.</summary>
    private async Task ReviewedCasesAsync(Fixture f)
    {
        foreach (var digits in new[] { "٢٠٠", "２００", "200\n", "2OO" })
        {
            await QueryAsync($"CreateTargetGroup Matcher {Escape(digits)}", "elasticloadbalancing", "CreateTargetGroup", "ValidationError", ("Name", "fuzz-matcher"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", f.VpcId), ("Matcher.HttpCode", digits));
            await QueryAsync($"ModifyTargetGroup Matcher {Escape(digits)}", "elasticloadbalancing", "ModifyTargetGroup", "ValidationError", ("TargetGroupArn", f.TargetGroupArn), ("Matcher.HttpCode", digits));
            await QueryAsync(
                $"CreateListener fixed-response {Escape(digits)}",
                "elasticloadbalancing",
                "CreateListener",
                "ValidationError",
                ("LoadBalancerArn", f.LoadBalancerArn),
                ("Protocol", "HTTP"),
                ("Port", "81"),
                ("DefaultActions.member.1.Type", "fixed-response"),
                ("DefaultActions.member.1.FixedResponseConfig.StatusCode", digits));
        }

        await QueryAsync("target group name with trailing newline", "elasticloadbalancing", "CreateTargetGroup", "ValidationError", ("Name", "fuzz-nl\n"), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", f.VpcId));
        await QueryAsync("security group name with trailing newline", "ec2", "CreateSecurityGroup", "InvalidParameterValue", ("GroupName", "fuzz-sg\n"), ("GroupDescription", "fuzz"));
        await QueryAsync("launch template name with trailing newline", "ec2", "CreateLaunchTemplate", "InvalidLaunchTemplateName.MalformedException", ("LaunchTemplateName", "fuzz-lt\n"), ("LaunchTemplateData.InstanceType", "t3.micro"));
        await QueryAsync("ELBv2 control character", "elasticloadbalancing", "DescribeTargetGroups", "ValidationError", ("Names.member.1", "a\u0001b"));
        await QueryAsync("Auto Scaling control character", "autoscaling", "DescribeAutoScalingGroups", "ValidationError", ("AutoScalingGroupNames.member.1", "a\u0001b"));
        await QueryAsync("EC2 unknown filter", "ec2", "DescribeInstances", "InvalidParameterValue", ("Filter.1.Name", "no-such-filter"), ("Filter.1.Value.1", "x"));
        await RawQueryAsync("EC2 Version from the future", "ec2", "Action=DescribeVpcs&Version=2099-01-01", "NoSuchVersion");
        await RawQueryAsync("EC2 without Version", "ec2", "Action=DescribeVpcs", "MissingParameter");
        await RawQueryAsync("ELBv2 old Version", "elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2012-06-01", "InvalidAction");
        await RawQueryAsync("Auto Scaling unknown Version", "autoscaling", "Action=DescribeAutoScalingGroups&Version=2099-01-01", "InvalidAction");

        var ssm = new (string Name, string Operation, string Body, string Code)[]
        {
            ("GetParameters number name", "GetParameters", """{"Names":[1]}""", "SerializationException"),
            ("GetParameters no names", "GetParameters", """{"Names":[]}""", "ValidationException"),
            ("GetParameters 11 names", "GetParameters", JsonSerializer.Serialize(new { Names = Enumerable.Range(0, 11).Select(i => $"/p{i}") }), "ValidationException"),
            ("GetParameters null name", "GetParameters", """{"Names":[null]}""", "ValidationException"),
            ("ListCommandInvocations array body", "ListCommandInvocations", "[]", "SerializationException"),
            ("ListCommandInvocations number CommandId", "ListCommandInvocations", """{"CommandId":5}""", "SerializationException"),
            ("ListCommandInvocations number NextToken", "ListCommandInvocations", """{"NextToken":7}""", "SerializationException"),
            ("ListCommandInvocations object InstanceId", "ListCommandInvocations", """{"InstanceId":{}}""", "SerializationException"),
            ("ListCommandInvocations MaxResults 0", "ListCommandInvocations", """{"MaxResults":0}""", "ValidationException"),
            ("ListCommandInvocations MaxResults -1", "ListCommandInvocations", """{"MaxResults":-1}""", "ValidationException"),
            ("GetCommandInvocation number PluginName", "GetCommandInvocation", $$"""{"CommandId":"{{Guid.NewGuid()}}","InstanceId":"{{f.InstanceId}}","PluginName":5}""", "SerializationException"),
            ("SendCommand number Comment", "SendCommand", SendCommand(f.InstanceId, "\"Comment\":5"), "SerializationException"),
            ("SendCommand string TimeoutSeconds", "SendCommand", SendCommand(f.InstanceId, "\"TimeoutSeconds\":\"abc\""), "SerializationException"),
            ("SendCommand TimeoutSeconds -5", "SendCommand", SendCommand(f.InstanceId, "\"TimeoutSeconds\":-5"), "ValidationException"),
            ("SendCommand TimeoutSeconds 0", "SendCommand", SendCommand(f.InstanceId, "\"TimeoutSeconds\":0"), "ValidationException"),
            ("SendCommand TimeoutSeconds int.MaxValue", "SendCommand", SendCommand(f.InstanceId, "\"TimeoutSeconds\":2147483647"), "ValidationException"),
            ("SendCommand TimeoutSeconds beyond int", "SendCommand", SendCommand(f.InstanceId, "\"TimeoutSeconds\":99999999999999"), "SerializationException"),
            ("GetParameter empty name", "GetParameter", "{\"Name\":\"\"}", "ValidationException"),
        };
        foreach (var (name, operation, body, code) in ssm)
        {
            await SendAsync(name, "ssm", Encoding.UTF8.GetBytes(body), operation, expected: code);
        }

        await SendAsync("SSM body with bytes FF FE", "ssm", [.. "{\"Name\":\""u8, 0xFF, 0xFE, .. "\"}"u8], "GetParameter", expected: "SerializationException");
        await SendAsync("SSM body in Latin-1", "ssm", Encoding.Latin1.GetBytes("{\"Name\":\"caf\u00e9\"}"), "GetParameter", expected: "SerializationException");

        // Presigned URLs live at most seven days (X-Amz-Expires <= 604800).
        var amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var presigned = $"?Action=DescribeVpcs&Version=2016-11-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={_account.AccessKeyId}%2F{amzDate[..8]}%2Fap-northeast-2%2Fec2%2Faws4_request&X-Amz-Date={amzDate}&X-Amz-Expires=315360000&X-Amz-SignedHeaders=host&X-Amz-Signature={new string('0', 64)}";
        using var response = await Http.GetAsync(new Uri(_server.Endpoints.Api, "/" + presigned));
        await RecordAsync("presigned URL valid for 10 years", "ec2", response, "AuthFailure");
    }

    /// <summary>Broken signatures against each service: the error is in that service's protocol.</summary>
    private async Task SignatureCasesAsync()
    {
        var date = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var variants = new (string Name, string Authorization, string ScopeService)[]
        {
            ("Bearer", "Bearer abc", string.Empty),
            ("extra slashes", $"AWS4-HMAC-SHA256 Credential={_account.AccessKeyId}/{date}/ap-northeast-2/x/y/{{service}}/aws4_request, SignedHeaders=host, Signature={new string('f', 64)}", string.Empty),
            ("region ../..", $"AWS4-HMAC-SHA256 Credential={_account.AccessKeyId}/{date}/../../{{service}}/aws4_request, SignedHeaders=host, Signature={new string('f', 64)}", string.Empty),
            ("no signature", $"AWS4-HMAC-SHA256 Credential={_account.AccessKeyId}/{date}/ap-northeast-2/{{service}}/aws4_request", string.Empty),
        };
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ec2"] = "AuthFailure",
            ["elasticloadbalancing"] = "IncompleteSignature",
            ["autoscaling"] = "IncompleteSignature",
            ["ssm"] = "IncompleteSignatureException",
        };
        foreach (var service in expected.Keys)
        {
            var (body, target) = service switch
            {
                "ssm" => ("{}"u8.ToArray(), "AmazonSSM.ListCommandInvocations"),
                "ec2" => (Encoding.UTF8.GetBytes("Action=DescribeVpcs&Version=2016-11-15"), null),
                "elasticloadbalancing" => (Encoding.UTF8.GetBytes("Action=DescribeLoadBalancers&Version=2015-12-01"), null),
                _ => (Encoding.UTF8.GetBytes("Action=DescribeAutoScalingGroups&Version=2011-01-01"), (string?)null),
            };
            var contentType = service == "ssm" ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded";
            foreach (var (name, authorization, _) in variants)
            {
                await SendRawAsync($"{service} {name}", service, body, contentType, target, expected[service], request =>
                {
                    request.Headers.Remove("Authorization");
                    request.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("{service}", service, StringComparison.Ordinal));
                });
            }

            // Signed for another service: the error still speaks the target's protocol.
            await SendRawAsync($"{service} signed for another service", service, body, contentType, target, expected[service], signAs: service == "ec2" ? "ssm" : "ec2");
            await SendRawAsync($"{service} wrong secret", service, body, contentType, target, null, secret: "wrong-secret-wrong-secret-wrong-secret-00");
            await SendRawAsync($"{service} unsigned", service, body, contentType, target, null, sign: false);
        }
    }

    /// <summary>A seeded walk: a lab operation, one to three members of its input shape, each given a value of a wrong type, out of bounds or oddly encoded.</summary>
    private async Task RandomCasesAsync(Random random, Fixture f)
    {
        for (var i = 0; i < RandomCases; i++)
        {
            var pick = random.Next(4);
            if (pick == 0)
            {
                var action = Ec2Operations[random.Next(Ec2Operations.Length)];
                var parameters = Enumerable.Range(0, random.Next(1, 4)).Select(_ => (Ec2Parameters[random.Next(Ec2Parameters.Length)], QueryValue(random, "string"))).ToArray();
                await QueryAsync($"random ec2 {action}", "ec2", action, null, parameters);
                continue;
            }

            var service = pick switch { 1 => "elasticloadbalancing", 2 => "autoscaling", _ => "ssm" };
            var operations = LabOperations[service];
            var operation = operations[random.Next(operations.Length)];
            var input = ServiceModels.InputOf(service, operation)!;
            if (service == "ssm")
            {
                var body = new JsonObject();
                foreach (var (member, shapeName) in input.Members.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                {
                    body[member] = RandomJson(random, ServiceModels.Shape(service, shapeName), f.InstanceId);
                }

                await SendAsync($"random ssm {operation}", service, Encoding.UTF8.GetBytes(body.ToJsonString()), operation);
            }
            else
            {
                var parameters = new List<(string, string)>();
                foreach (var (member, shapeName) in input.Members.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                {
                    Flatten(random, service, member, ServiceModels.Shape(service, shapeName), parameters, depth: 0);
                }

                await QueryAsync($"random {service} {operation}", service, operation, null, [.. parameters]);
            }
        }
    }

    private static void Flatten(Random random, string service, string key, ModelShape shape, List<(string, string)> parameters, int depth)
    {
        switch (shape.Type)
        {
            case "structure" when depth < 3 && shape.Members.Count > 0:
                var (member, memberShape) = shape.Members.ElementAt(random.Next(shape.Members.Count));
                Flatten(random, service, $"{key}.{member}", ServiceModels.Shape(service, memberShape), parameters, depth + 1);
                break;
            case "list" when depth < 3:
                var index = random.Next(5) switch { 0 => 0, 1 => 1001, _ => random.Next(1, 4) };
                Flatten(random, service, $"{key}.member.{index}", ServiceModels.Shape(service, shape.Member!), parameters, depth + 1);
                break;
            default:
                parameters.Add((key, QueryValue(random, shape.Type)));
                break;
        }
    }

    private static string QueryValue(Random random, string type)
    {
        string[] numeric = ["٢٠٠", "２００", "-5", "0", "2147483648", "99999999999999999999", "1.5", "abc", " 5", "5\n", string.Empty, "-0"];
        string[] text = [string.Empty, "x\n", "٢٠٠", "a\u0001b", new string('a', 5000), "é∂😀", "arn:aws:elasticloadbalancing:ap-northeast-2:000000000000:targetgroup/x/0", "../..", "i-0123456789abcdef0", "200\n", "true"];
        string[] boolean = ["yes", "TRUE", "1", string.Empty, "true\n"];
        var pool = type switch { "integer" or "long" or "double" or "float" => numeric, "boolean" => boolean, _ => random.Next(4) == 0 ? numeric : text };
        return pool[random.Next(pool.Length)];
    }

    private static JsonNode? RandomJson(Random random, ModelShape shape, string instanceId)
    {
        // Half the time a value of the wrong JSON type, otherwise a right-typed value at or past the model's bounds.
        if (random.Next(2) == 0)
        {
            return random.Next(6) switch
            {
                0 => JsonValue.Create(5),
                1 => JsonValue.Create("abc"),
                2 => new JsonObject(),
                3 => new JsonArray(JsonValue.Create(1), null),
                4 => JsonValue.Create(true),
                _ => null,
            };
        }

        return shape.Type switch
        {
            "integer" or "long" => JsonValue.Create(random.Next(5) switch { 0 => -1, 1 => 0, 2 => int.MaxValue, 3 => (long)(shape.Max ?? 10) + 1, _ => (long)(shape.Min ?? 1) }),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "list" => new JsonArray(Enumerable.Range(0, random.Next(0, 13)).Select(i => i % 5 == 4 ? null : JsonValue.Create(i % 2 == 0 ? instanceId : "x\n")).ToArray<JsonNode?>()),
            "map" => new JsonObject { ["commands"] = new JsonArray(JsonValue.Create("echo fuzz")), ["x\n"] = new JsonArray() },
            "structure" => new JsonObject(),
            _ => JsonValue.Create(random.Next(4) switch { 0 => string.Empty, 1 => new string('a', 3000), 2 => "\u0662\u0660\u0660\n", _ => instanceId }),
        };
    }

    private static string SendCommand(string instanceId, string extra) =>
        $$"""{"DocumentName":"AWS-RunShellScript","InstanceIds":["{{instanceId}}"],"Parameters":{"commands":["echo hi"]},{{extra}}}""";

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static string Escape(string value) => JsonSerializer.Serialize(value);

    private Task<ApiCall> ElbAsync(string action, params (string Name, string Value)[] parameters) =>
        _client.CallAsync("elasticloadbalancing", action, "2015-12-01", parameters);

    private Task<(HttpStatusCode Status, byte[] Body)> QueryAsync(string name, string service, string action, string? expected, params (string Name, string Value)[] parameters)
    {
        var version = service switch { "ec2" => "2016-11-15", "elasticloadbalancing" => "2015-12-01", _ => "2011-01-01" };
        var all = new List<(string Name, string Value)> { ("Action", action), ("Version", version) };
        all.AddRange(parameters);
        var form = string.Join('&', all.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        return SendRawAsync(name, service, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", null, expected);
    }

    private Task<(HttpStatusCode Status, byte[] Body)> RawQueryAsync(string name, string service, string form, string expected) =>
        SendRawAsync(name, service, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", null, expected);

    private async Task<byte[]> SendAsync(string name, string service, byte[] body, string operation, string? expected = null, bool expectOk = false)
    {
        var answer = await SendRawAsync(name, service, body, "application/x-amz-json-1.1", "AmazonSSM." + operation, expected);
        if (expectOk)
        {
            Assert.True(answer.Status == HttpStatusCode.OK, $"{name}: {(int)answer.Status} {Encoding.UTF8.GetString(answer.Body)}");
        }

        return answer.Body;
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> SendRawAsync(
        string name,
        string service,
        byte[] body,
        string contentType,
        string? target,
        string? expected,
        Action<HttpRequestMessage>? tamper = null,
        string? signAs = null,
        string? secret = null,
        bool sign = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoints.Api) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        if (sign)
        {
            TestSigV4Signer.Sign(request, body, _account.AccessKeyId, secret ?? _account.SecretAccessKey, "ap-northeast-2", signAs ?? service, DateTimeOffset.UtcNow);
        }

        tamper?.Invoke(request);
        using var response = await Http.SendAsync(request);
        _requests++;
        return await RecordAsync(name, service, response, expected);
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> RecordAsync(string name, string service, HttpResponseMessage response, string? expected)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            _serverErrors.Add($"{name}: {status} {Encoding.UTF8.GetString(bytes)}");
        }
        else if (status >= 300)
        {
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value), StringComparer.Ordinal);
            _errors.Add(new BotocoreErrorCheck.Case(name, service, status, headers, bytes, expected));
        }
        else if (expected is not null)
        {
            _serverErrors.Add($"{name}: expected {expected}, got {status} {Encoding.UTF8.GetString(bytes)}");
        }

        return (response.StatusCode, bytes);
    }
}
