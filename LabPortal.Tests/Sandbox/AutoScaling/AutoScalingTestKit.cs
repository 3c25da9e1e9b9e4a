using System.Xml.Linq;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Services.Elbv2;
using LabPortal.Tests.Sandbox.Ssm;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox.AutoScaling;

/// <summary>A started sandbox with observable machines, an optional ELBv2 test double and Auto Scaling helpers.</summary>
internal sealed class AutoScalingTestKit : IAsyncDisposable
{
    private AutoScalingTestKit(SandboxServer server, SandboxAccount account, SandboxApiClient client, RecordingMachineFactory machines, FakeTargetGroupMembership? targets)
    {
        Server = server;
        Account = account;
        Client = client;
        Machines = machines;
        Targets = targets;
    }

    public SandboxServer Server { get; }

    public SandboxAccount Account { get; }

    public SandboxApiClient Client { get; }

    public RecordingMachineFactory Machines { get; }

    public FakeTargetGroupMembership? Targets { get; }

    public static async Task<AutoScalingTestKit> StartAsync(bool withElbv2 = true)
    {
        var machines = new RecordingMachineFactory();
        var targets = withElbv2 ? new FakeTargetGroupMembership() : null;
        var (server, account, client) = await TestSandbox.StartWithAccountAsync(new FakeMachineFactory(), configure: services =>
        {
            // Registered after the kit's FakeMachineFactory, so these are the ones resolved.
            services.AddSingleton<IMachineFactory>(machines);
            if (targets is not null)
            {
                services.AddSingleton<ITargetGroupMembership>(targets);
            }
        });
        return new AutoScalingTestKit(server, account, client, machines, targets);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public Task<ApiCall> AsgAsync(string action, params (string Name, string Value)[] parameters) =>
        Client.CallAsync("autoscaling", action, "2011-01-01", parameters);

    /// <summary>A launch template for the latest Amazon Linux 2023 AMI that starts nginx.</summary>
    public async Task<string> CreateLaunchTemplateAsync(string name = "web-lt")
    {
        var ami = await TestSandbox.LatestAmiAsync(Client);
        var userData = Convert.ToBase64String("#!/bin/bash\ndnf install -y nginx\nsystemctl start nginx\n"u8.ToArray());
        var call = await Client.Ec2Async(
            "CreateLaunchTemplate",
            ("LaunchTemplateName", name),
            ("LaunchTemplateData.ImageId", ami),
            ("LaunchTemplateData.InstanceType", "t3.micro"),
            ("LaunchTemplateData.UserData", userData),
            ("LaunchTemplateData.IamInstanceProfile.Name", TestSandbox.InstanceProfileName));
        return call.EnsureOk().Value("launchTemplateId");
    }

    /// <summary>The default subnets of the given zones, in that order.</summary>
    public async Task<IReadOnlyList<string>> SubnetsAsync(params string[] zones)
    {
        var call = (await Client.Ec2Async("DescribeSubnets")).EnsureOk();
        var items = call.Xml.Descendants().Where(e => e.Name.LocalName == "subnetSet").Elements().ToList();
        return zones.Select(z => items.First(i => Child(i, "availabilityZone") == z)).Select(i => Child(i, "subnetId")!).ToList();
    }

    public async Task CreateGroupAsync(string name, string templateId, IReadOnlyList<string> subnets, int min, int max, int desired, params (string Name, string Value)[] extra)
    {
        var parameters = new List<(string, string)>
        {
            ("AutoScalingGroupName", name),
            ("LaunchTemplate.LaunchTemplateId", templateId),
            ("MinSize", min.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("MaxSize", max.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("DesiredCapacity", desired.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("VPCZoneIdentifier", string.Join(',', subnets)),
        };
        parameters.AddRange(extra);
        (await AsgAsync("CreateAutoScalingGroup", [.. parameters])).EnsureOk();
    }

    /// <summary>The group's instances as DescribeAutoScalingGroups reports them, or null when the group is gone.</summary>
    public async Task<IReadOnlyList<GroupInstance>?> InstancesAsync(string group)
    {
        var call = (await AsgAsync("DescribeAutoScalingGroups", ("AutoScalingGroupNames.member.1", group))).EnsureOk();
        var element = call.Xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "AutoScalingGroups")?.Elements().FirstOrDefault();
        if (element is null)
        {
            return null;
        }

        return element.Elements().First(e => e.Name.LocalName == "Instances").Elements()
            .Select(i => new GroupInstance(Child(i, "InstanceId")!, Child(i, "AvailabilityZone")!, Child(i, "LifecycleState")!, Child(i, "HealthStatus")!))
            .ToList();
    }

    public async Task<IReadOnlyList<GroupInstance>> WaitForInServiceAsync(string group, int count)
    {
        List<GroupInstance> inService = [];
        await TestSandbox.EventuallyAsync(
            async () =>
            {
                var all = await InstancesAsync(group) ?? [];
                inService = all.Where(i => i.LifecycleState == "InService").ToList();
                return inService.Count == count && all.Count == count;
            },
            $"{count} InService instances in {group}");
        return inService;
    }

    public async Task<IReadOnlyList<Activity>> ActivitiesAsync(string group)
    {
        var call = (await AsgAsync("DescribeScalingActivities", ("AutoScalingGroupName", group))).EnsureOk();
        return call.Xml.Descendants().First(e => e.Name.LocalName == "Activities").Elements()
            .Select(a => new Activity(Child(a, "Description")!, Child(a, "Cause")!, Child(a, "StatusCode")!, DateTimeOffset.Parse(Child(a, "StartTime")!, System.Globalization.CultureInfo.InvariantCulture), Child(a, "EndTime")))
            .ToList();
    }

    public static string? Child(XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    internal sealed record GroupInstance(string InstanceId, string AvailabilityZone, string LifecycleState, string HealthStatus);

    internal sealed record Activity(string Description, string Cause, string StatusCode, DateTimeOffset StartTime, string? EndTime);
}
