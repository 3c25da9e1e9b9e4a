using System.Net;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Wire.Validation;

namespace LabPortal.Tests.Sandbox;

/// <summary>
/// EC2 filter names through the API: refused whatever the account holds, older spellings select what
/// the current names select, and every name the table says the sandbox evaluates is evaluated.
/// </summary>
public sealed class Ec2FilterNamesTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private SandboxServer _server = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync() => (_server, _, _client) = await TestSandbox.StartWithAccountAsync(_machines);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> CoveredOperations() => [.. Ec2FilterTable.CoveredOperations.Where(o => o != "DescribeLaunchTemplateVersions")];

    [Theory]
    [MemberData(nameof(CoveredOperations))]
    public async Task Describe_refuses_an_unknown_filter_when_the_account_holds_no_resource_of_that_type(string operation)
    {
        var call = await _client.Ec2Async(operation, ("Filter.1.Name", "no-such-filter"), ("Filter.1.Value.1", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidParameterValue", call.ErrorCode);
        Assert.Equal("The filter 'no-such-filter' is invalid", call.Value("Message"));
    }

    [Theory]
    [InlineData("DescribeVpcs", "isDefault", "is-default", "true", "vpcId")]
    [InlineData("DescribeVpcs", "cidrBlock", "cidr", "172.31.0.0/16", "vpcId")]
    [InlineData("DescribeSubnets", "availabilityZone", "availability-zone", "ap-northeast-2a", "subnetId")]
    [InlineData("DescribeSubnets", "defaultForAz", "default-for-az", "true", "subnetId")]
    [InlineData("DescribeSubnets", "cidr", "cidr-block", "172.31.0.0/20", "subnetId")]
    [InlineData("DescribeSubnets", "cidrBlock", "cidr-block", "172.31.*", "subnetId")]
    public async Task Describe_selects_the_same_resources_when_an_older_filter_spelling_is_used(string operation, string older, string current, string value, string idElement)
    {
        var byOlder = (await _client.Ec2Async(operation, ("Filter.1.Name", older), ("Filter.1.Value.1", value))).EnsureOk().Values(idElement).Order().ToList();
        var byCurrent = (await _client.Ec2Async(operation, ("Filter.1.Name", current), ("Filter.1.Value.1", value))).EnsureOk().Values(idElement).Order().ToList();

        Assert.NotEmpty(byCurrent);
        Assert.Equal(byCurrent, byOlder);
    }

    [Fact]
    public async Task DescribeLaunchTemplateVersions_refuses_a_filter_with_a_sentence_when_the_sandbox_does_not_evaluate_it()
    {
        (await _client.Ec2Async("CreateLaunchTemplate", ("LaunchTemplateName", "lt-filters"), ("LaunchTemplateData.InstanceType", "t3.micro"))).EnsureOk();

        var call = await _client.Ec2Async("DescribeLaunchTemplateVersions", ("LaunchTemplateName", "lt-filters"), ("Filter.1.Name", "instance-type"), ("Filter.1.Value.1", "t3.micro"));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("InvalidParameterValue", call.ErrorCode);
        Assert.Contains("this sandbox does not evaluate it", call.Value("Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_evaluates_every_filter_the_table_lists_when_the_account_holds_resources()
    {
        var ami = await TestSandbox.LatestAmiAsync(_client);
        var run = (await _client.Ec2Async("RunInstances", ("ImageId", ami), ("InstanceType", "t3.micro"), ("MinCount", "1"), ("MaxCount", "1"), ("TagSpecification.1.ResourceType", "instance"), ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "web"))).EnsureOk();
        await TestSandbox.WaitForStateAsync(_client, run.Value("instanceId"), "running");
        (await _client.Ec2Async("CreateSecurityGroup", ("GroupName", "filters"), ("GroupDescription", "filters"))).EnsureOk();
        (await _client.Ec2Async("CreateLaunchTemplate", ("LaunchTemplateName", "lt-all"), ("LaunchTemplateData.InstanceType", "t3.micro"))).EnsureOk();
        (await _client.Ec2Async("CreateKeyPair", ("KeyName", "filters"))).EnsureOk();

        var failures = new List<string>();
        foreach (var operation in Ec2FilterTable.CoveredOperations)
        {
            foreach (var name in Ec2FilterTable.EvaluatedNames(operation))
            {
                var filter = name == "tag:*" ? "tag:Name" : name;
                var extra = operation == "DescribeInstanceStatus" ? new[] { ("IncludeAllInstances", "true") } : [];
                var call = await _client.Ec2Async(operation, [("Filter.1.Name", filter), ("Filter.1.Value.1", "*"), .. extra]);
                if (call.Status != HttpStatusCode.OK)
                {
                    failures.Add($"{operation} {filter}: {(int)call.Status} {call.Body}");
                }
            }
        }

        Assert.Empty(failures);
    }
}
