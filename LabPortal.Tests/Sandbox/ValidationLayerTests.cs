using System.Text;
using System.Text.Json;
using LabPortal.Sandbox.Wire;
using LabPortal.Sandbox.Wire.Validation;

namespace LabPortal.Tests.Sandbox;

/// <summary>The sandbox's validation layer on its own: numbers, patterns, Query and JSON shapes, UTF-8, the EC2 filter table.</summary>
public sealed class ValidationLayerTests
{
    [Theory]
    [InlineData("200", true)]
    [InlineData("-5", true)]
    [InlineData("+7", true)]
    [InlineData("٢٠٠", false)]
    [InlineData("２００", false)]
    [InlineData(" 5", false)]
    [InlineData("5\n", false)]
    [InlineData("", false)]
    [InlineData("-", false)]
    [InlineData("99999999999999999999", false)]
    public void AsciiNumber_accepts_only_ASCII_digits_when_parsing_integers(string value, bool accepted)
    {
        Assert.Equal(accepted, AsciiNumber.TryParseInt64(value, out _));
    }

    [Fact]
    public void ServiceModels_compiles_every_pattern_of_every_service_model()
    {
        var patterns = ServiceModels.AllShapes.Where(s => s.Pattern is not null).ToList();

        Assert.NotEmpty(patterns);
        Assert.All(patterns, s => Assert.NotNull(s.Regex));
    }

    [Fact]
    public void ModelShape_pattern_refuses_a_trailing_newline_when_the_value_is_otherwise_valid()
    {
        var documentName = ServiceModels.Shape("ssm", ServiceModels.InputOf("ssm", "SendCommand")!.Members["DocumentName"]);

        Assert.Matches(documentName.Regex!, "AWS-RunShellScript");
        Assert.DoesNotMatch(documentName.Regex!, "AWS-RunShellScript\n");
    }

    [Fact]
    public void QueryModelValidator_reports_every_bound_AWS_enforces_when_several_members_break_them()
    {
        var error = Assert.Throws<ApiException>(() => QueryModelValidator.Validate("elasticloadbalancing", "CreateTargetGroup", Parameters(
            ("Name", "tg"), ("HealthCheckIntervalSeconds", "1"), ("Port", "70000"))));

        Assert.Equal("ValidationError", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("2 validation errors detected: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Value '1' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value greater than or equal to 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("Value '70000' at 'port' failed to satisfy constraint: Member must have value less than or equal to 65535", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("٣٠")]
    [InlineData("３０")]
    [InlineData("30\n")]
    [InlineData("thirty")]
    public void QueryModelValidator_refuses_an_integer_when_it_is_not_ASCII_digits(string value)
    {
        var error = Assert.Throws<ApiException>(() => QueryModelValidator.Validate("elasticloadbalancing", "ModifyTargetGroup", Parameters(
            ("TargetGroupArn", "arn:aws:elasticloadbalancing:ap-northeast-2:000000000000:targetgroup/tg/0"), ("HealthCheckIntervalSeconds", value))));

        Assert.Equal("ValidationError", error.Code);
        Assert.Contains("healthCheckIntervalSeconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true\n")]
    [InlineData(" false")]
    [InlineData("yes")]
    public void QueryModelValidator_refuses_a_boolean_when_it_is_not_exactly_true_or_false(string value)
    {
        var error = Assert.Throws<ApiException>(() => QueryModelValidator.Validate("elasticloadbalancing", "CreateTargetGroup", Parameters(
            ("Name", "tg"), ("HealthCheckEnabled", value))));

        Assert.Contains("at 'healthCheckEnabled' failed to satisfy constraint: Member must be 'true' or 'false'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueryModelValidator_reports_a_missing_required_member_and_a_nested_list_item()
    {
        var error = Assert.Throws<ApiException>(() => QueryModelValidator.Validate("elasticloadbalancing", "CreateTargetGroup", Parameters(
            ("Tags.member.1.Key", string.Empty))));

        Assert.Contains("Value null at 'name' failed to satisfy constraint: Member must not be null", error.Message, StringComparison.Ordinal);
        Assert.Contains("at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueryModelValidator_passes_a_request_when_every_member_is_valid()
    {
        QueryModelValidator.Validate("elasticloadbalancing", "CreateTargetGroup", Parameters(
            ("Name", "lab-tg"), ("Protocol", "HTTP"), ("Port", "80"), ("HealthCheckIntervalSeconds", "30"), ("Matcher.HttpCode", "200-299"), ("Tags.member.1.Key", "lab")));
        QueryModelValidator.Validate("autoscaling", "UpdateAutoScalingGroup", Parameters(("AutoScalingGroupName", "lab-asg"), ("MinSize", "1"), ("MaxSize", "3")));
    }

    [Theory]
    [InlineData("GetParameters", """{"Names":[1]}""")]
    [InlineData("ListCommandInvocations", "[]")]
    [InlineData("ListCommandInvocations", """{"CommandId":5}""")]
    [InlineData("ListCommandInvocations", """{"NextToken":7}""")]
    [InlineData("ListCommandInvocations", """{"InstanceId":{}}""")]
    [InlineData("ListCommandInvocations", """{"Details":"yes"}""")]
    [InlineData("GetCommandInvocation", """{"CommandId":"c","InstanceId":"i","PluginName":5}""")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","Comment":5}""")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","TimeoutSeconds":"abc"}""")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","TimeoutSeconds":30.5}""")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","InstanceIds":"i-0123456789abcdef0"}""")]
    public void JsonModelValidator_throws_SerializationException_when_a_value_has_the_wrong_JSON_type(string operation, string body)
    {
        var error = Assert.Throws<ApiException>(() => JsonModelValidator.Validate("ssm", operation, Parse(body)));

        Assert.Equal("SerializationException", error.Code);
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [InlineData("GetParameters", """{"Names":[]}""", "names", "length greater than or equal to 1")]
    [InlineData("GetParameters", """{"Names":["a","b","c","d","e","f","g","h","i","j","k"]}""", "names", "length less than or equal to 10")]
    [InlineData("GetParameters", """{"Names":[null]}""", "names", "Member must not be null")]
    [InlineData("ListCommandInvocations", """{"MaxResults":0}""", "maxResults", "value greater than or equal to 1")]
    [InlineData("ListCommandInvocations", """{"MaxResults":-1}""", "maxResults", "value greater than or equal to 1")]
    [InlineData("ListCommandInvocations", """{"MaxResults":51}""", "maxResults", "value less than or equal to 50")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","TimeoutSeconds":-5}""", "timeoutSeconds", "value greater than or equal to 30")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","TimeoutSeconds":0}""", "timeoutSeconds", "value greater than or equal to 30")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript","TimeoutSeconds":2147483647}""", "timeoutSeconds", "value less than or equal to 2592000")]
    [InlineData("SendCommand", """{"TimeoutSeconds":60}""", "documentName", "Member must not be null")]
    [InlineData("SendCommand", """{"DocumentName":"AWS-RunShellScript\n"}""", "documentName", "regular expression pattern")]
    [InlineData("GetCommandInvocation", """{"CommandId":"short","InstanceId":"i-0123456789abcdef0"}""", "commandId", "length greater than or equal to 36")]
    public void JsonModelValidator_throws_ValidationException_naming_the_member_when_a_bound_is_broken(string operation, string body, string member, string constraint)
    {
        var error = Assert.Throws<ApiException>(() => JsonModelValidator.Validate("ssm", operation, Parse(body)));

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains($"at '{member}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(constraint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonModelValidator_passes_a_valid_request_and_ignores_members_the_model_does_not_know()
    {
        JsonModelValidator.Validate("ssm", "SendCommand", Parse("""
            {"DocumentName":"AWS-RunShellScript","InstanceIds":["i-0123456789abcdef0"],"Parameters":{"commands":["echo hi"]},
             "TimeoutSeconds":30,"Comment":"drill","SomethingNew":{"x":1}}
            """));
        JsonModelValidator.Validate("ssm", "ListCommandInvocations", Parse("""{"MaxResults":50,"Details":true}"""));
    }

    [Fact]
    public void JsonModelValidator_RequireUtf8_refuses_bytes_that_are_not_UTF8_and_accepts_Korean()
    {
        byte[] invalid = [.. "{\"Name\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        var latin1 = Encoding.Latin1.GetBytes("{\"Name\":\"caf\u00e9\"}");

        Assert.Equal("SerializationException", Assert.Throws<ApiException>(() => JsonModelValidator.RequireUtf8(invalid)).Code);
        Assert.Equal("SerializationException", Assert.Throws<ApiException>(() => JsonModelValidator.RequireUtf8(latin1)).Code);
        JsonModelValidator.RequireUtf8(Encoding.UTF8.GetBytes("{\"Comment\":\"웹 서버 중지\"}"));
    }

    [Fact]
    public void Ec2FilterTable_refuses_an_unknown_filter_name_with_AWS_message()
    {
        var parameters = new Dictionary<string, string> { ["Filter.1.Name"] = "instance-colour", ["Filter.1.Value.1"] = "red" };

        var error = Assert.Throws<ApiException>(() => Ec2FilterTable.Normalize("DescribeInstances", parameters));

        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.Equal("The filter 'instance-colour' is invalid", error.Message);
    }

    [Theory]
    [InlineData("DescribeVpcs", "isDefault", "is-default")]
    [InlineData("DescribeVpcs", "cidrBlock", "cidr")]
    [InlineData("DescribeVpcs", "dhcpOptionsId", "dhcp-options-id")]
    [InlineData("DescribeSubnets", "availabilityZone", "availability-zone")]
    [InlineData("DescribeSubnets", "defaultForAz", "default-for-az")]
    [InlineData("DescribeSubnets", "cidr", "cidr-block")]
    [InlineData("DescribeInstances", "group-id", "instance.group-id")]
    [InlineData("DescribeInstances", "tag:Name", "tag:Name")]
    [InlineData("DescribeSecurityGroups", "tag-value", "tag-value")]
    public void Ec2FilterTable_rewrites_an_older_spelling_to_the_name_the_handler_evaluates(string operation, string name, string canonical)
    {
        var parameters = new Dictionary<string, string> { ["Filter.1.Name"] = name, ["Filter.1.Value.1"] = "x" };

        Ec2FilterTable.Normalize(operation, parameters);

        Assert.Equal(canonical, parameters["Filter.1.Name"]);
    }

    [Fact]
    public void Ec2FilterTable_says_the_sandbox_does_not_evaluate_a_filter_when_AWS_accepts_it()
    {
        var parameters = new Dictionary<string, string> { ["Filter.1.Name"] = "image-id", ["Filter.1.Value.1"] = "ami-1" };

        var error = Assert.Throws<ApiException>(() => Ec2FilterTable.Normalize("DescribeLaunchTemplateVersions", parameters));

        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.Contains("valid on AWS, but this sandbox does not evaluate it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ec2FilterTable_evaluates_only_names_AWS_accepts_and_maps_every_alias_to_an_evaluated_name()
    {
        foreach (var operation in Ec2FilterTable.CoveredOperations)
        {
            var accepted = Ec2FilterTable.AcceptedNames(operation);
            var evaluated = Ec2FilterTable.EvaluatedNames(operation);
            Assert.All(evaluated.Where(n => n != "tag:*"), n => Assert.True(accepted.Contains(n), $"{operation} evaluates '{n}', which AWS does not accept"));
            Assert.All(Ec2FilterTable.Aliases(operation), a => Assert.True(evaluated.Contains(a.Value), $"{operation}: '{a.Key}' maps to '{a.Value}', which is not evaluated"));
        }
    }

    private static Dictionary<string, string> Parameters(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
