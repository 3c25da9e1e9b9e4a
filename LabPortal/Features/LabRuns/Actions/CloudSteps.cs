using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>Building blocks the lab actions share: the default network, security groups, waiting.</summary>
public static class CloudSteps
{
    /// <summary>How long a step waits for AWS to finish something (instances boot in about a minute, an ALB in a few).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(10);

    /// <summary>All the waiting of one step together, across its continuations (a step may wait for a load balancer and then its targets).</summary>
    public static readonly TimeSpan StepWaitLimit = WaitLimit * 2;

    /// <summary>How soon a continuation looks again after an execution ended waiting.</summary>
    public static readonly TimeSpan ContinuationDelay = TimeSpan.FromSeconds(2);

    /// <summary>The longest pause between two looks in <see cref="WaitUntilAsync"/>.</summary>
    private static readonly TimeSpan MaxWaitPoll = TimeSpan.FromSeconds(1);

    public static async Task<string> DefaultVpcAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var response = await context.Cloud.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [Filter("is-default", "true")] }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        var vpcId = FirstOf(response.Vpcs)?.VpcId ?? throw new LabStepException("NoDefaultVpc",
            $"The region {context.Region} has no default VPC. Create one (aws ec2 create-default-vpc) and retry.",
            $"{context.Region} 리전에 기본 VPC가 없습니다. 기본 VPC를 만든 뒤(aws ec2 create-default-vpc) 다시 시도하세요.");
        await context.SetOutputsAsync(o => o.VpcId = vpcId, cancellationToken);
        return vpcId;
    }

    public static async Task<string> DefaultSubnetAsync(LabActionContext context, string vpcId, string availabilityZone, CancellationToken cancellationToken)
    {
        var response = await context.Cloud.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest
        {
            Filters = [Filter("vpc-id", vpcId), Filter("availability-zone", availabilityZone), Filter("default-for-az", "true")],
        }, cancellationToken);
        context.Trace(response.ResponseMetadata.RequestId);
        return FirstOf(response.Subnets)?.SubnetId ?? throw new LabStepException("NoDefaultSubnet",
            $"The default VPC has no public subnet in {availabilityZone}. Choose another availability zone.",
            $"기본 VPC에 {availabilityZone}의 퍼블릭 서브넷이 없습니다. 다른 가용 영역을 고르세요.");
    }

    /// <summary>
    /// Finds the run's security group by name (after a crash) or creates it, tagged; records it in the
    /// ledger. A group found by name is adopted only when it carries this run's tag (issue 13): one the
    /// learner made by hand, another run's or the VPC's <c>default</c> group fails the step, untouched
    /// and unclaimed.
    /// </summary>
    public static async Task<string> EnsureSecurityGroupAsync(LabActionContext context, string name, string description, string vpcId, CancellationToken cancellationToken)
    {
        var entry = await context.IntendAsync(ResourceKind.SecurityGroup, name, cancellationToken);
        if (entry.ResourceId is { } known)
        {
            return known;
        }

        var found = await context.Cloud.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
        {
            Filters = [Filter("group-name", name), Filter("vpc-id", vpcId)],
        }, cancellationToken);
        context.Trace(found.ResponseMetadata.RequestId);
        var existing = FirstOf(found.SecurityGroups);
        if (existing is not null && !context.IsRunTagged((existing.Tags ?? []).Select(t => ((string?)t.Key, (string?)t.Value))))
        {
            await context.DropIntentAsync(entry, cancellationToken);
            throw NotOwned("security group", "보안 그룹", name);
        }

        var groupId = existing?.GroupId;
        if (groupId is null)
        {
            var created = await context.Cloud.Ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
            {
                GroupName = name,
                Description = description,
                VpcId = vpcId,
                TagSpecifications = [TagSpecification("security-group", context.Tags(name))],
            }, cancellationToken);
            context.Trace(created.ResponseMetadata.RequestId);
            groupId = created.GroupId!;
        }

        await context.CompleteAsync(entry, groupId, cancellationToken);
        return groupId;
    }

    /// <summary>
    /// The step's failure when a resource found by its name (on a retry, or because the learner made one
    /// by hand) is not this run's: nothing is adopted, nothing is changed (issue 13, What to build 1).
    /// </summary>
    public static LabStepException NotOwned(string whatEnglish, string whatKorean, string name) => new("ResourceNotOwned",
        $"A {whatEnglish} named {name} already exists in your account and was not made by this lab run: choose another name, or delete it.",
        $"계정에 이름이 {name}인 {whatKorean}이(가) 이미 있는데, 이 실습 실행이 만든 것이 아닙니다. 다른 이름을 고르거나 그것을 삭제하세요.");

    /// <summary>Opens a TCP port to a CIDR on one of the run's own groups; a rule that already exists (a retry) is fine.</summary>
    public static async Task AllowIngressAsync(LabActionContext context, string groupId, int port, string cidr, CancellationToken cancellationToken)
    {
        await context.RequireOwnedAsync(ResourceKind.SecurityGroup, groupId, cancellationToken);
        try
        {
            var response = await context.Cloud.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
            {
                GroupId = groupId,
                IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new IpRange { CidrIp = cidr }] }],
            }, cancellationToken);
            context.Trace(response.ResponseMetadata.RequestId);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "InvalidPermission.Duplicate")
        {
            // Already allowed by an earlier attempt of this step.
        }
    }

    /// <summary>
    /// Polls <paramref name="done"/> until it is true. Past the execution's inline share of waiting the
    /// job ends and a continuation looks again (<see cref="ContinueLaterException"/>); past the step's
    /// <see cref="LabActionContext.WaitDeadline"/> the step fails with the given words.
    /// </summary>
    public static async Task WaitUntilAsync(LabActionContext context, Func<Task<bool>> done, string english, string korean, CancellationToken cancellationToken)
    {
        // The first looks come sooner (250 ms, 500 ms, then every second): what finishes at once (the sandbox,
        // an already-deleted resource) does not keep its teardown slot or worker for a whole second, and a
        // long AWS wait costs two extra Describe calls at most.
        var poll = TimeSpan.FromMilliseconds(250);
        while (!await done())
        {
            await PollAgainAsync(context, poll, english, korean, cancellationToken);
            poll = poll * 2 > MaxWaitPoll ? MaxWaitPoll : poll * 2;
        }
    }

    /// <summary>
    /// The pause between two looks at something AWS is doing: a short sleep while this execution has
    /// inline waiting left, else the end of the execution with a continuation; a step past its wait
    /// deadline fails with the given words.
    /// </summary>
    public static async Task PollAgainAsync(LabActionContext context, TimeSpan poll, string english, string korean, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        if (now > context.WaitDeadline)
        {
            throw new LabStepException("WaitTimedOut", english, korean);
        }

        if (now + poll > context.InlineWaitUntil)
        {
            throw new ContinueLaterException(poll > ContinuationDelay ? poll : ContinuationDelay);
        }

        await Task.Delay(poll, context.Time, cancellationToken);
    }

    public static Filter Filter(string name, params string[] values) => new() { Name = name, Values = [.. values] };

    public static TagSpecification TagSpecification(string resourceType, IReadOnlyList<(string Key, string Value)> tags) =>
        new() { ResourceType = resourceType, Tags = [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })] };

    public static List<Aws.Elbv2.Tag> ElbTags(IReadOnlyList<(string Key, string Value)> tags) =>
        [.. tags.Select(t => new Aws.Elbv2.Tag { Key = t.Key, Value = t.Value })];

    public static T? FirstOf<T>(IReadOnlyList<T>? items)
        where T : class => items is { Count: > 0 } ? items[0] : null;
}
