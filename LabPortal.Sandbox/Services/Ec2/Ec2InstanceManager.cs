using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.DataPlane;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Owns instance lifecycles: launch validation, state transitions after AWS's (scaled) delays,
/// the machines (<see cref="IMachine"/>) behind instances, public addresses and their data-plane
/// routes, state-change events, restore after a restart and cleanup on account deletion.
/// Lock order: a flow never waits for the account lock while holding a machine's gate.
/// </summary>
public sealed partial class Ec2InstanceManager : IEc2Instances, IAccountCleanup, ISandboxLifecycle, IDisposable
{
    /// <summary>EC2's default On-Demand limit stand-in: a lab needs a handful; a runaway script should stop early.</summary>
    public const int MaxInstancesPerRegion = 20;

    private const int MaxUserDataBytes = 16 * 1024;

    private static readonly string[] PublicPrefixes = ["3.34", "3.35", "3.36", "3.38", "13.124", "13.125", "13.209", "15.164", "43.200", "43.201", "52.78", "52.79", "54.180"];

    private readonly SandboxState _state;
    private readonly SandboxClock _clock;
    private readonly SandboxBackgroundWork _background;
    private readonly IDataPlaneRoutes _routes;
    private readonly HttpForwarder _forwarder;
    private readonly IMachineFactory? _machines;
    private readonly AccountQuotaBook? _quotas;
    private readonly ILogger<Ec2InstanceManager> _logger;
    private readonly ConcurrentDictionary<string, InstanceRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InstanceAddress> _publicAddresses = new(StringComparer.Ordinal);
    private readonly Channel<InstanceStateChanged> _events = Channel.CreateUnbounded<InstanceStateChanged>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _subscribersLock = new();
    private readonly IDisposable _resolver;
    private Func<InstanceStateChanged, CancellationToken, Task>[] _subscribers = [];

    public Ec2InstanceManager(
        SandboxState state,
        SandboxClock clock,
        SandboxBackgroundWork background,
        IDataPlaneRoutes routes,
        HttpForwarder forwarder,
        IServiceProvider services,
        ILogger<Ec2InstanceManager> logger)
    {
        _state = state;
        _clock = clock;
        _background = background;
        _routes = routes;
        _forwarder = forwarder;
        _logger = logger;

        // Optional until the instance runtime is merged in: without it instances run with no operating system.
        _machines = services.GetService<IMachineFactory>();
        _quotas = services.GetService<AccountQuotaBook>();
        _resolver = _routes.AddResolver(ResolveInstanceHost);
    }

    public static string PublicDnsName(string publicIp, string region) => $"ec2-{publicIp.Replace('.', '-')}.{region}.compute.localhost";

    public static string PrivateDnsName(string privateIp, string region) => $"ip-{privateIp.Replace('.', '-')}.{region}.compute.internal";

    // ---------------------------------------------------------------- events

    public IDisposable Subscribe(Func<InstanceStateChanged, CancellationToken, Task> handler)
    {
        lock (_subscribersLock)
        {
            _subscribers = [.. _subscribers, handler];
        }

        return new Unsubscriber(() =>
        {
            lock (_subscribersLock)
            {
                _subscribers = _subscribers.Where(h => h != handler).ToArray();
            }
        });
    }

    private void Raise(AccountScope scope, string region, Ec2Instance instance, Ec2InstanceState previous)
    {
        var change = new InstanceStateChanged(scope.AccountId, region, instance.InstanceId, previous, instance.State, _clock.UtcNow);
        scope.OnReleased(() => _events.Writer.TryWrite(change));
    }

    private async Task DispatchEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (var change in _events.Reader.ReadAllAsync(cancellationToken))
        {
            foreach (var subscriber in _subscribers)
            {
                try
                {
                    await subscriber(change, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogError(ex, "Instance state subscriber failed on {InstanceId} {State}", change.InstanceId, change.CurrentState);
                }
            }
        }
    }

    // ---------------------------------------------------------------- launch

    public async Task<Ec2Reservation> RunInstancesAsync(string accountId, string region, InstanceLaunchSpec spec, CancellationToken cancellationToken = default)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return RunInstances(scope, region, spec);
    }

    public Ec2Reservation RunInstances(AccountScope scope, string region, InstanceLaunchSpec spec)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(spec);
        var ec2 = scope.Read<Ec2RegionState>(region);
        var fingerprint = Fingerprint(spec);
        if (spec.ClientToken is { } token)
        {
            if (token.Length > 64)
            {
                throw new ApiException("InvalidParameterValue", "Value for parameter clientToken is invalid. The client token must be 64 characters or fewer.");
            }

            if (ec2.ClientTokens.TryGetValue(token, out var known))
            {
                // EC2 idempotency: the same token and parameters return the original reservation.
                if (known.Fingerprint != fingerprint)
                {
                    throw new ApiException("IdempotentParameterMismatch", "The client token you have provided is associated with a resource that is already deleted or different parameters. Please use a different client token.");
                }

                return new Ec2Reservation(known.ReservationId, ec2.Instances.Values.Where(i => i.ReservationId == known.ReservationId).OrderBy(i => i.AmiLaunchIndex).ToList());
            }
        }

        var templateResource = ResolveTemplate(ec2, spec);
        var templateVersion = templateResource is null ? null : ResolveTemplateVersion(templateResource, spec);
        var template = templateVersion?.Data;
        var imageId = spec.ImageId ?? template?.ImageId ?? throw new ApiException("MissingParameter", "The request must contain the parameter ImageId");
        var image = FindImage(region, imageId);
        var instanceType = spec.InstanceType ?? template?.InstanceType ?? "m1.small";
        if (!Ec2InstanceTypes.IsKnown(instanceType))
        {
            throw new ApiException("InvalidParameterValue", $"Invalid value '{QueryParameters.Shorten(instanceType)}' for InstanceType.");
        }

        if (spec.MinCount < 1)
        {
            throw new ApiException("InvalidParameterValue", $"Value ({spec.MinCount}) for parameter minCount is invalid. Expected a positive integer.");
        }

        if (spec.MaxCount < spec.MinCount)
        {
            throw new ApiException("InvalidParameterValue", $"Value ({spec.MaxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount ({spec.MinCount}).");
        }

        var live = ec2.Instances.Values.Count(i => i.State != Ec2InstanceState.Terminated);
        var quotas = _quotas?.Find(scope.AccountId);
        if (quotas?.AllowedInstanceTypes is { } allowed && !allowed.Contains(instanceType, StringComparer.Ordinal))
        {
            // An Organizations policy denying other types answers this on AWS (an explicit deny on ec2:RunInstances).
            throw new ApiException("UnauthorizedOperation", $"You are not authorized to perform this operation. Instance type {QueryParameters.Shorten(instanceType)} is denied by the account's policy; allowed: {string.Join(", ", allowed)}.", 403);
        }

        if (quotas?.MaxInstances is { } quota && live + spec.MinCount > quota)
        {
            throw new ApiException("InstanceLimitExceeded", $"You have requested more instances ({live + spec.MinCount}) than your current instance limit of {quota} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.");
        }

        if (live + spec.MinCount > MaxInstancesPerRegion)
        {
            throw new ApiException("InstanceLimitExceeded", $"You have requested more instances ({live + spec.MinCount}) than your current instance limit of {MaxInstancesPerRegion} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.");
        }

        var count = Math.Min(spec.MaxCount, MaxInstancesPerRegion - live);
        var subnet = ChooseSubnet(ec2, spec.SubnetId ?? template?.SubnetId, spec.AvailabilityZone ?? template?.AvailabilityZone);
        var groups = ChooseGroups(ec2, subnet, spec.SecurityGroupIds.Count > 0 || spec.SecurityGroupNames.Count > 0 ? spec.SecurityGroupIds : template?.SecurityGroupIds ?? [], spec.SecurityGroupIds.Count > 0 || spec.SecurityGroupNames.Count > 0 ? spec.SecurityGroupNames : template?.SecurityGroupNames ?? []);
        var userData = spec.UserData ?? template?.UserData;
        ValidateUserData(userData);
        var keyName = spec.KeyName ?? template?.KeyName;
        if (keyName is not null && !ec2.KeyPairs.Values.Any(k => k.KeyName == keyName))
        {
            throw new ApiException("InvalidKeyPair.NotFound", $"The key pair '{QueryParameters.Shorten(keyName)}' does not exist");
        }

        var (profileArn, profileId) = spec.IamInstanceProfileName is not null || spec.IamInstanceProfileArn is not null
            ? ResolveInstanceProfile(scope.AccountId, spec.IamInstanceProfileName, spec.IamInstanceProfileArn)
            : ResolveInstanceProfile(scope.AccountId, template?.IamInstanceProfileName, template?.IamInstanceProfileArn);

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (template is not null && template.TagSpecifications.TryGetValue("instance", out var templateTags))
        {
            foreach (var (key, value) in templateTags)
            {
                tags[key] = value;
            }
        }

        foreach (var (key, value) in spec.Tags)
        {
            tags[key] = value;
        }

        Ec2Tags.Validate(tags);
        foreach (var (key, value) in spec.SystemTags)
        {
            tags[key] = value;
        }

        if (templateResource is not null)
        {
            // EC2 tags what a launch template launched with the template and the version it used
            // (verified against AWS, issue 19); users cannot write "aws:" keys themselves.
            tags["aws:ec2launchtemplate:id"] = templateResource.LaunchTemplateId;
            tags["aws:ec2launchtemplate:version"] = templateVersion!.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var requestedIp = spec.PrivateIpAddress;
        if (requestedIp is not null)
        {
            ValidateRequestedPrivateIp(ec2, subnet, requestedIp, count);
        }

        var associatePublicIp = spec.AssociatePublicIpAddress ?? template?.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch;

        ec2 = scope.Write<Ec2RegionState>(region);
        var reservationId = Ec2Ids.New("r");
        var now = _clock.UtcNow;
        var launched = new List<Ec2Instance>();
        for (var index = 0; index < count; index++)
        {
            var instance = new Ec2Instance
            {
                InstanceId = Ec2Ids.New("i"),
                ReservationId = reservationId,
                ImageId = image.ImageId,
                Architecture = image.Architecture,
                InstanceType = instanceType,
                KeyName = keyName,
                IamInstanceProfileArn = profileArn,
                IamInstanceProfileId = profileId,
                SubnetId = subnet.SubnetId,
                VpcId = subnet.VpcId,
                AvailabilityZone = subnet.AvailabilityZone,
                PrivateIpAddress = requestedIp ?? AllocatePrivateIp(ec2, subnet),
                AssociatePublicIp = associatePublicIp,
                NetworkInterfaceId = Ec2Ids.New("eni"),
                MacAddress = "02:" + string.Join(':', RandomNumberGenerator.GetBytes(5).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
                RootVolumeId = Ec2Ids.New("vol"),
                SecurityGroupIds = groups,
                Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal),
                State = Ec2InstanceState.Pending,
                LaunchTime = now,
                AmiLaunchIndex = index,
                ClientToken = spec.ClientToken,
                UserData = userData,
                LaunchTemplateId = templateResource?.LaunchTemplateId,
                LaunchTemplateVersion = spec.LaunchTemplateVersion,
                DisableApiTermination = spec.DisableApiTermination,
                DisableApiStop = spec.DisableApiStop,
                MonitoringEnabled = spec.MonitoringEnabled,
                EbsOptimized = spec.EbsOptimized,
                HibernationConfigured = spec.HibernationConfigured,
            };
            if (associatePublicIp)
            {
                instance.PublicIpAddress = AllocatePublicIp(scope.AccountId, region, instance.InstanceId);
            }

            ec2.Instances[instance.InstanceId] = instance;
            launched.Add(instance);
            var id = instance.InstanceId;
            var accountId = scope.AccountId;
            var runtime = _runtimes.GetOrAdd(id, _ => new InstanceRuntime(accountId, region));
            Raise(scope, region, instance, Ec2InstanceState.Pending);
            scope.OnReleased(() => _background.Run($"boot {id}", ct => BootAsync(accountId, region, id, runtime, Ec2InstanceState.Pending, delay: true, ct)));
        }

        if (spec.ClientToken is not null)
        {
            ec2.ClientTokens[spec.ClientToken] = new Ec2ClientToken { ReservationId = reservationId, Fingerprint = fingerprint };
        }

        return new Ec2Reservation(reservationId, launched);
    }

    private static Ec2Image FindImage(string region, string requested)
    {
        var imageId = Ec2ImageCatalog.ResolveImageId(region, requested)
            ?? throw new ApiException("InvalidParameterValue", $"Unable to resolve the SSM parameter in '{QueryParameters.Shorten(requested)}': no such public parameter in this region.");
        if (!Ec2Ids.IsWellFormed(imageId, "ami"))
        {
            throw new ApiException("InvalidAMIID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(imageId)}\" (expecting \"ami-...\")");
        }

        return Ec2ImageCatalog.Find(region, imageId)
            ?? throw new ApiException("InvalidAMIID.NotFound", $"The image id '[{imageId}]' does not exist");
    }

    private static Ec2LaunchTemplate? ResolveTemplate(Ec2RegionState ec2, InstanceLaunchSpec spec)
    {
        if (spec.LaunchTemplateId is null && spec.LaunchTemplateName is null)
        {
            return null;
        }

        return spec.LaunchTemplateId is not null
            ? ec2.LaunchTemplates.GetValueOrDefault(spec.LaunchTemplateId)
                ?? throw new ApiException("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {QueryParameters.Shorten(spec.LaunchTemplateId)}, does not exist.")
            : ec2.LaunchTemplates.Values.FirstOrDefault(t => t.LaunchTemplateName == spec.LaunchTemplateName)
                ?? throw new ApiException("InvalidLaunchTemplateName.NotFoundException", $"The specified launch template, with template name {QueryParameters.Shorten(spec.LaunchTemplateName!)}, does not exist.");
    }

    private static Ec2LaunchTemplateVersion ResolveTemplateVersion(Ec2LaunchTemplate template, InstanceLaunchSpec spec) =>
        template.FindVersion(spec.LaunchTemplateVersion)
            ?? throw new ApiException("InvalidLaunchTemplateId.VersionNotFound", $"Could not find launch template version {QueryParameters.Shorten(spec.LaunchTemplateVersion ?? "$Default")} for launch template {template.LaunchTemplateId}.");

    /// <summary>
    /// <c>PrivateIpAddress</c>: EC2 gives the instance that address; it must be a usable address of the
    /// subnet, free, and only one instance can be launched with it (RunInstances API reference; verified against AWS, issue 19).
    /// </summary>
    private static void ValidateRequestedPrivateIp(Ec2RegionState ec2, Ec2Subnet subnet, string address, int count)
    {
        if (!System.Net.IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ApiException("InvalidParameterValue", $"Invalid value '{QueryParameters.Shorten(address)}' for PrivateIpAddress.");
        }

        var (network, prefix) = Ec2Cidr.Parse(subnet.CidrBlock);
        var value = Ec2Cidr.ToUInt32(parsed);
        var size = 1u << (32 - prefix);
        if (value < network || value >= network + size)
        {
            throw new ApiException("InvalidParameterValue", $"Address {address} does not fall within the subnet's address range");
        }

        // The first four addresses and the last one are reserved (VPC user guide, "Subnet CIDR blocks").
        if (value - network < 4 || value == network + size - 1)
        {
            throw new ApiException("InvalidParameterValue", $"Address {address} is in subnet's reserved address range");
        }

        if (count > 1)
        {
            throw new ApiException("InvalidParameterCombination", "Cannot specify a private IP address when launching more than one instance.");
        }

        if (ec2.Instances.Values.Any(i => i.State != Ec2InstanceState.Terminated && i.PrivateIpAddress == address))
        {
            throw new ApiException("InvalidIPAddress.InUse", $"Address {address} is in use.");
        }
    }

    private static Ec2Subnet ChooseSubnet(Ec2RegionState ec2, string? subnetId, string? availabilityZone)
    {
        if (subnetId is not null)
        {
            if (!Ec2Ids.IsWellFormed(subnetId, "subnet"))
            {
                throw new ApiException("InvalidSubnetID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(subnetId)}\" (expecting \"subnet-...\")");
            }

            var subnet = ec2.Subnets.GetValueOrDefault(subnetId)
                ?? throw new ApiException("InvalidSubnetID.NotFound", $"The subnet ID '{subnetId}' does not exist");
            if (availabilityZone is not null && subnet.AvailabilityZone != availabilityZone)
            {
                throw new ApiException("InvalidParameterCombination", $"The specified Availability Zone {QueryParameters.Shorten(availabilityZone)} does not match the subnet's Availability Zone {subnet.AvailabilityZone}.");
            }

            return subnet;
        }

        var defaults = ec2.Subnets.Values.Where(s => s.DefaultForAz).ToList();
        if (availabilityZone is not null)
        {
            return defaults.FirstOrDefault(s => s.AvailabilityZone == availabilityZone)
                ?? throw new ApiException("InvalidParameterValue", $"Invalid availability zone: [{QueryParameters.Shorten(availabilityZone)}]");
        }

        // Without a subnet EC2 picks a default subnet in some Availability Zone.
        return defaults[RandomNumberGenerator.GetInt32(defaults.Count)];
    }

    private static List<string> ChooseGroups(Ec2RegionState ec2, Ec2Subnet subnet, IReadOnlyList<string> ids, IReadOnlyList<string> names)
    {
        var result = new List<string>();
        foreach (var id in ids)
        {
            if (!Ec2Ids.IsWellFormed(id, "sg"))
            {
                throw new ApiException("InvalidGroupId.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\" (expecting \"sg-...\")");
            }

            var group = ec2.SecurityGroups.GetValueOrDefault(id)
                ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{id}' does not exist in VPC '{subnet.VpcId}'");
            if (group.VpcId != subnet.VpcId)
            {
                throw new ApiException("InvalidParameter", $"Security group {id} and subnet {subnet.SubnetId} belong to different networks.");
            }

            result.Add(id);
        }

        foreach (var name in names)
        {
            var group = ec2.SecurityGroups.Values.FirstOrDefault(g => g.GroupName == name && g.VpcId == subnet.VpcId)
                ?? throw new ApiException("InvalidGroup.NotFound", $"The security group '{QueryParameters.Shorten(name)}' does not exist in VPC '{subnet.VpcId}'");
            result.Add(group.GroupId);
        }

        if (result.Count == 0)
        {
            // No group given: the VPC's default group (EC2 RunInstances, SecurityGroupIds).
            result.Add(ec2.SecurityGroups.Values.First(g => g.IsDefault && g.VpcId == subnet.VpcId).GroupId);
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The ARN and id EC2 reports for <c>IamInstanceProfile</c> (name or ARN). The sandbox has no IAM, so any
    /// well-formed name is accepted (IAM's pattern <c>[\w+=,.@-]+</c>, 1 to 128 characters); the id is derived
    /// from the ARN so every instance launched with one profile shows the same id, as on AWS.
    /// </summary>
    internal static (string? Arn, string? Id) ResolveInstanceProfile(string accountId, string? name, string? arn)
    {
        if (name is null && arn is null)
        {
            return (null, null);
        }

        if (arn is not null)
        {
            var match = InstanceProfileArnRegex().Match(arn);
            if (!match.Success || (name is not null && match.Groups["name"].Value != name))
            {
                throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(arn)}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN");
            }
        }
        else if (!InstanceProfileNameRegex().IsMatch(name!))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(name!)}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name");
        }

        var resolved = arn ?? $"arn:aws:iam::{accountId}:instance-profile/{name}";
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resolved));
        var id = "AIPA" + string.Concat(hash.Take(17).Select(b => alphabet[b % alphabet.Length]));
        return (resolved, id);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\w+=,.@-]{1,128}$")]
    private static partial System.Text.RegularExpressions.Regex InstanceProfileNameRegex();

    [System.Text.RegularExpressions.GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:instance-profile/(?:[\w+=,.@-]+/)*(?<name>[\w+=,.@-]{1,128})$")]
    private static partial System.Text.RegularExpressions.Regex InstanceProfileArnRegex();

    private static void ValidateUserData(string? userData)
    {
        if (userData is null)
        {
            return;
        }

        var buffer = new byte[(userData.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(userData, buffer, out var length))
        {
            throw new ApiException("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
        }

        if (length > MaxUserDataBytes)
        {
            // EC2 user guide: "User data is limited to 16 KB, in raw form, before it is base64-encoded."
            throw new ApiException("InvalidParameterValue", $"User data is limited to {MaxUserDataBytes} bytes");
        }
    }

    private static string? DecodeUserData(string? userData)
    {
        if (userData is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(userData));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Fingerprint(InstanceLaunchSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec with { ClientToken = null })));

    private static string AllocatePrivateIp(Ec2RegionState ec2, Ec2Subnet subnet)
    {
        var (network, prefix) = Ec2Cidr.Parse(subnet.CidrBlock);
        var size = 1u << (32 - prefix);
        var used = ec2.Instances.Values
            .Where(i => i.SubnetId == subnet.SubnetId && i.State != Ec2InstanceState.Terminated)
            .Select(i => i.PrivateIpAddress)
            .ToHashSet(StringComparer.Ordinal);

        // AWS reserves the first four addresses and the last one of every subnet (VPC user guide, "Subnet CIDR blocks").
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = Ec2Cidr.Format(network + (uint)RandomNumberGenerator.GetInt32(4, (int)size - 1));
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        for (var offset = 4u; offset < size - 1; offset++)
        {
            var candidate = Ec2Cidr.Format(network + offset);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new ApiException("InsufficientFreeAddressesInSubnet", $"There are not enough free addresses in subnet '{subnet.SubnetId}' to satisfy the requested number of instances.");
    }

    private string AllocatePublicIp(string accountId, string region, string instanceId)
    {
        // Public addresses are unique across every account: the data plane routes by them.
        while (true)
        {
            var ip = $"{PublicPrefixes[RandomNumberGenerator.GetInt32(PublicPrefixes.Length)]}.{RandomNumberGenerator.GetInt32(1, 255)}.{RandomNumberGenerator.GetInt32(1, 255)}";
            if (_publicAddresses.TryAdd(ip, new InstanceAddress(accountId, region, instanceId)))
            {
                return ip;
            }
        }
    }

    private void ReleasePublicIp(Ec2Instance instance)
    {
        if (instance.PublicIpAddress is { } ip)
        {
            _publicAddresses.TryRemove(ip, out _);
            instance.PublicIpAddress = null;
        }
    }

    // ---------------------------------------------------------------- state changes

    public async Task<IReadOnlyList<Ec2StateChange>> TerminateInstancesAsync(string accountId, string region, IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken = default)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return TerminateInstances(scope, region, instanceIds);
    }

    public IReadOnlyList<Ec2StateChange> TerminateInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        var instances = Lookup(scope, region, instanceIds);
        scope.MarkChanged<Ec2RegionState>(region);
        var changes = new List<Ec2StateChange>();
        foreach (var instance in instances)
        {
            var previous = instance.State;
            if (previous is not (Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated))
            {
                instance.State = Ec2InstanceState.ShuttingDown;
                instance.StateTransitionReason = $"User initiated ({XmlWriterExtensions.FormatTimestamp(_clock.UtcNow)[..19].Replace('T', ' ')} GMT)";
                instance.StateReasonCode = "Client.UserInitiatedShutdown";
                instance.StateReasonMessage = "Client.UserInitiatedShutdown: User initiated shutdown";
                ReleasePublicIp(instance);
                Raise(scope, region, instance, previous);
                ScheduleTerminate(scope, region, instance.InstanceId);
            }

            changes.Add(new Ec2StateChange(instance.InstanceId, previous, instance.State));
        }

        return changes;
    }

    public IReadOnlyList<Ec2StateChange> StopInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        var instances = Lookup(scope, region, instanceIds);
        foreach (var instance in instances)
        {
            if (instance.State is Ec2InstanceState.Pending or Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated)
            {
                throw new ApiException("IncorrectInstanceState", $"This instance '{instance.InstanceId}' is not in a state from which it can be stopped.");
            }
        }

        scope.MarkChanged<Ec2RegionState>(region);
        var changes = new List<Ec2StateChange>();
        foreach (var instance in instances)
        {
            var previous = instance.State;
            if (previous == Ec2InstanceState.Running)
            {
                instance.State = Ec2InstanceState.Stopping;
                instance.StateTransitionReason = $"User initiated ({XmlWriterExtensions.FormatTimestamp(_clock.UtcNow)[..19].Replace('T', ' ')} GMT)";
                instance.StateReasonCode = "Client.UserInitiatedShutdown";
                instance.StateReasonMessage = "Client.UserInitiatedShutdown: User initiated shutdown";
                Raise(scope, region, instance, previous);
                var accountId = scope.AccountId;
                var id = instance.InstanceId;
                scope.OnReleased(() => _background.Run($"stop {id}", ct => StopAsync(accountId, region, id, ct)));
            }

            changes.Add(new Ec2StateChange(instance.InstanceId, previous, instance.State));
        }

        return changes;
    }

    public IReadOnlyList<Ec2StateChange> StartInstances(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        var instances = Lookup(scope, region, instanceIds);
        foreach (var instance in instances)
        {
            if (instance.State is Ec2InstanceState.Stopping or Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated)
            {
                throw new ApiException("IncorrectInstanceState", $"The instance '{instance.InstanceId}' is not in a state from which it can be started.");
            }
        }

        scope.MarkChanged<Ec2RegionState>(region);
        var changes = new List<Ec2StateChange>();
        foreach (var instance in instances)
        {
            var previous = instance.State;
            if (previous == Ec2InstanceState.Stopped)
            {
                instance.State = Ec2InstanceState.Pending;
                instance.StateTransitionReason = string.Empty;
                instance.StateReasonCode = null;
                instance.StateReasonMessage = null;

                // A stopped instance gets a new public address when it starts again (EC2 user guide, "Public IPv4 addresses").
                if (instance.AssociatePublicIp)
                {
                    instance.PublicIpAddress = AllocatePublicIp(scope.AccountId, region, instance.InstanceId);
                }

                Raise(scope, region, instance, previous);
                var accountId = scope.AccountId;
                var id = instance.InstanceId;
                var runtime = _runtimes.GetOrAdd(id, _ => new InstanceRuntime(accountId, region));
                scope.OnReleased(() => _background.Run($"boot {id}", ct => BootAsync(accountId, region, id, runtime, Ec2InstanceState.Pending, delay: true, ct)));
            }

            changes.Add(new Ec2StateChange(instance.InstanceId, previous, instance.State));
        }

        return changes;
    }

    /// <summary>Finds every id or fails the whole call (EC2 acts on all or none).</summary>
    internal static List<Ec2Instance> Lookup(AccountScope scope, string region, IReadOnlyCollection<string> instanceIds)
    {
        if (instanceIds.Count == 0)
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter InstanceId");
        }

        foreach (var id in instanceIds)
        {
            if (!Ec2Ids.IsWellFormed(id, "i"))
            {
                throw new ApiException("InvalidInstanceID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\"");
            }
        }

        var ec2 = scope.Read<Ec2RegionState>(region);
        var missing = instanceIds.Where(id => !ec2.Instances.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw NotFound(missing);
        }

        return instanceIds.Distinct(StringComparer.Ordinal).Select(id => ec2.Instances[id]).ToList();
    }

    internal static ApiException NotFound(IReadOnlyList<string> missing) => missing.Count == 1
        ? new ApiException("InvalidInstanceID.NotFound", $"The instance ID '{missing[0]}' does not exist")
        : new ApiException("InvalidInstanceID.NotFound", $"The instance IDs '{string.Join(", ", missing)}' do not exist");

    private void ScheduleTerminate(AccountScope scope, string region, string instanceId)
    {
        var accountId = scope.AccountId;
        scope.OnReleased(() => _background.Run($"terminate {instanceId}", ct => TerminateAsync(accountId, region, instanceId, ct)));
    }

    /// <summary>Terminated instances disappear from Describe calls about an hour later (scaled).</summary>
    internal void PurgeExpired(AccountScope scope, string region)
    {
        var ec2 = scope.Find<Ec2RegionState>(region);
        if (ec2 is null)
        {
            return;
        }

        var cutoff = _clock.UtcNow - _clock.Scaled(Ec2Timings.TerminatedVisibility);
        var expired = ec2.Instances.Values.Where(i => i.State == Ec2InstanceState.Terminated && i.TerminatedAt < cutoff).Select(i => i.InstanceId).ToList();
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var id in expired)
        {
            ec2.Instances.Remove(id);
        }

        scope.MarkChanged<Ec2RegionState>(region);
    }

    // ---------------------------------------------------------------- flows

    private async Task BootAsync(string accountId, string region, string instanceId, InstanceRuntime runtime, Ec2InstanceState expected, bool delay, CancellationToken cancellationToken)
    {
        if (delay)
        {
            await _clock.DelayAsync(Ec2Timings.Boot, cancellationToken);
        }

        InstanceMetadata metadata;
        string? userData;
        bool firstBoot;
        MachineState? restored;
        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
            if (instance is null || instance.State != expected)
            {
                return;
            }

            metadata = MetadataOf(instance, region);
            userData = DecodeUserData(instance.UserData);
            firstBoot = !instance.FirstBootDone;
            restored = instance.Machine;
        }

        MachineState? snapshot = null;
        await runtime.Gate.WaitAsync(cancellationToken);
        try
        {
            if (runtime.Disposed)
            {
                return;
            }

            if (_machines is not null)
            {
                runtime.Machine ??= _machines.Create(metadata, restored);
                try
                {
                    await runtime.Machine.BootAsync(userData, firstBoot, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failing boot script does not stop EC2 from reporting the instance running.
                    _logger.LogWarning(ex, "Machine of {InstanceId} failed to boot cleanly", instanceId);
                }

                snapshot = runtime.Machine.Snapshot();
            }
        }
        finally
        {
            runtime.Gate.Release();
        }

        await using (var scope = await _state.EnterAsync(accountId, cancellationToken))
        {
            var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
            if (instance is null || instance.State != expected)
            {
                return;
            }

            instance.FirstBootDone = true;
            instance.Machine = snapshot ?? instance.Machine;
            if (expected == Ec2InstanceState.Pending)
            {
                instance.State = Ec2InstanceState.Running;
                instance.RunningSince = _clock.UtcNow;
                Raise(scope, region, instance, Ec2InstanceState.Pending);
            }

            scope.MarkChanged<Ec2RegionState>(region);
        }
    }

    private async Task StopAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken)
    {
        await _clock.DelayAsync(Ec2Timings.Stop, cancellationToken);
        var snapshot = await ShutdownMachineAsync(instanceId, dispose: false, cancellationToken);
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        if (instance is null || instance.State != Ec2InstanceState.Stopping)
        {
            return;
        }

        instance.State = Ec2InstanceState.Stopped;
        instance.StateReasonCode = "Client.UserInitiatedShutdown";
        instance.Machine = snapshot ?? instance.Machine;
        ReleasePublicIp(instance);
        scope.MarkChanged<Ec2RegionState>(region);
        Raise(scope, region, instance, Ec2InstanceState.Stopping);
    }

    private async Task TerminateAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken)
    {
        await _clock.DelayAsync(Ec2Timings.Terminate, cancellationToken);
        await ShutdownMachineAsync(instanceId, dispose: true, cancellationToken);
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        if (instance is null || instance.State != Ec2InstanceState.ShuttingDown)
        {
            return;
        }

        instance.State = Ec2InstanceState.Terminated;
        instance.StateReasonCode = "Client.UserInitiatedShutdown";
        instance.TerminatedAt = _clock.UtcNow;
        instance.Machine = null;
        scope.MarkChanged<Ec2RegionState>(region);
        Raise(scope, region, instance, Ec2InstanceState.ShuttingDown);
    }

    /// <summary>Shuts the machine down (stop) or down and away (terminate); returns its last snapshot.</summary>
    private async Task<MachineState?> ShutdownMachineAsync(string instanceId, bool dispose, CancellationToken cancellationToken)
    {
        if (!_runtimes.TryGetValue(instanceId, out var runtime))
        {
            return null;
        }

        await runtime.Gate.WaitAsync(cancellationToken);
        try
        {
            MachineState? snapshot = null;
            if (runtime.Machine is { } machine)
            {
                await machine.ShutdownAsync(cancellationToken);
                snapshot = machine.Snapshot();

                // A stopped instance gets a new machine on start: its metadata (public address) changes.
                await machine.DisposeAsync();
                runtime.Machine = null;
            }

            if (dispose)
            {
                runtime.Disposed = true;
                _runtimes.TryRemove(instanceId, out _);
            }

            return snapshot;
        }
        finally
        {
            runtime.Gate.Release();
        }
    }

    private static InstanceMetadata MetadataOf(Ec2Instance instance, string region) => new(
        instance.InstanceId,
        region,
        instance.AvailabilityZone,
        instance.InstanceType,
        instance.ImageId,
        instance.PrivateIpAddress,
        PrivateDnsName(instance.PrivateIpAddress, region),
        instance.PublicIpAddress,
        instance.PublicIpAddress is null ? null : PublicDnsName(instance.PublicIpAddress, region));

    // ---------------------------------------------------------------- reads

    public async Task<Ec2InstanceView?> GetInstanceAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken = default)
    {
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        return FindInstance(scope, region, instanceId);
    }

    public Ec2InstanceView? FindInstance(AccountScope scope, string region, string instanceId)
    {
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        return instance is null ? null : ViewOf(scope.AccountId, region, instance);
    }

    public IReadOnlyList<Ec2InstanceView> ListInstances(AccountScope scope, string region) =>
        scope.Find<Ec2RegionState>(region)?.Instances.Values.Select(i => ViewOf(scope.AccountId, region, i)).ToList() ?? [];

    internal static Ec2InstanceView ViewOf(string accountId, string region, Ec2Instance i) => new(
        accountId,
        region,
        i.InstanceId,
        i.State,
        i.AvailabilityZone,
        i.SubnetId,
        i.VpcId,
        i.PrivateIpAddress,
        i.PublicIpAddress,
        i.PublicIpAddress is null ? null : PublicDnsName(i.PublicIpAddress, region),
        PrivateDnsName(i.PrivateIpAddress, region),
        i.ImageId,
        i.InstanceType,
        i.LaunchTime,
        i.SecurityGroupIds.ToList(),
        new Dictionary<string, string>(i.Tags, StringComparer.Ordinal))
    {
        IamInstanceProfileArn = i.IamInstanceProfileArn,
    };

    public IMachine? GetMachine(string accountId, string instanceId) =>
        _runtimes.TryGetValue(instanceId, out var runtime) && runtime.AccountId == accountId && !runtime.Disposed ? runtime.Machine : null;

    public Uri? GetHttpEndpoint(string accountId, string instanceId, int port) => GetMachine(accountId, instanceId)?.GetHttpEndpoint(port);

    public async Task SaveMachineSnapshotAsync(string accountId, string region, string instanceId, CancellationToken cancellationToken = default)
    {
        if (GetMachine(accountId, instanceId) is not { } machine)
        {
            return;
        }

        var snapshot = machine.Snapshot();
        await using var scope = await _state.EnterAsync(accountId, cancellationToken);
        var instance = scope.Find<Ec2RegionState>(region)?.Instances.GetValueOrDefault(instanceId);
        if (instance is not null && instance.State is Ec2InstanceState.Running or Ec2InstanceState.Pending)
        {
            instance.Machine = snapshot;
            scope.MarkChanged<Ec2RegionState>(region);
        }
    }

    // ---------------------------------------------------------------- data plane

    private RequestDelegate? ResolveInstanceHost(string host)
    {
        var match = InstanceHost().Match(host);
        if (!match.Success)
        {
            return null;
        }

        var ip = $"{match.Groups[1].Value}.{match.Groups[2].Value}.{match.Groups[3].Value}.{match.Groups[4].Value}";
        if (!_publicAddresses.TryGetValue(ip, out var address) || !string.Equals(address.Region, match.Groups[5].Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return async context =>
        {
            if (!await IsReachableFromInternetAsync(address, context.RequestAborted))
            {
                // On AWS the packets are dropped and the browser times out; the data plane says why at once.
                await HttpForwarder.WriteTextAsync(context.Response, StatusCodes.Status504GatewayTimeout, "504 Gateway Timeout: the instance's subnet has no route to an internet gateway, so nothing from the internet reaches it.");
                return;
            }

            var endpoint = GetHttpEndpoint(address.AccountId, address.InstanceId, 80);
            if (endpoint is null)
            {
                await HttpForwarder.WriteTextAsync(context.Response, StatusCodes.Status502BadGateway, "502 Bad Gateway: connection refused (no web server listens on port 80).");
                return;
            }

            await _forwarder.ForwardAsync(context, endpoint);
        };
    }

    /// <summary>
    /// A public address is reachable only through an internet gateway: the subnet's route table must
    /// send 0.0.0.0/0 to a gateway attached to the VPC (VPC user guide, "Enable internet access").
    /// </summary>
    private async Task<bool> IsReachableFromInternetAsync(InstanceAddress address, CancellationToken cancellationToken)
    {
        await using var scope = await _state.EnterAsync(address.AccountId, cancellationToken);
        var ec2 = scope.Find<Ec2RegionState>(address.Region);
        var instance = ec2?.Instances.GetValueOrDefault(address.InstanceId);
        var subnet = instance is null ? null : ec2!.Subnets.GetValueOrDefault(instance.SubnetId);
        return subnet is not null && ec2!.HasInternetRoute(subnet);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^ec2-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.([a-z0-9-]+)\.compute\.localhost$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex InstanceHost();

    // ---------------------------------------------------------------- lifecycle hooks

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        _background.Run("instance events", DispatchEventsAsync);
        foreach (var accountId in _state.AccountIds)
        {
            await using var scope = await _state.EnterAsync(accountId, cancellationToken);
            foreach (var (region, ec2) in scope.All<Ec2RegionState>())
            {
                foreach (var instance in ec2.Instances.Values)
                {
                    Restore(scope, region, instance);
                }
            }
        }
    }

    /// <summary>Brings an instance back after a restart: its address and route, and whatever transition was under way.</summary>
    private void Restore(AccountScope scope, string region, Ec2Instance instance)
    {
        var accountId = scope.AccountId;
        var id = instance.InstanceId;
        if (instance.PublicIpAddress is { } ip)
        {
            _publicAddresses[ip] = new InstanceAddress(accountId, region, id);
        }

        switch (instance.State)
        {
            case Ec2InstanceState.Pending or Ec2InstanceState.Running:
                var runtime = _runtimes.GetOrAdd(id, _ => new InstanceRuntime(accountId, region));
                var state = instance.State;
                scope.OnReleased(() => _background.Run($"boot {id}", ct => BootAsync(accountId, region, id, runtime, state, delay: state == Ec2InstanceState.Pending, ct)));
                break;
            case Ec2InstanceState.Stopping:
                scope.OnReleased(() => _background.Run($"stop {id}", ct => StopAsync(accountId, region, id, ct)));
                break;
            case Ec2InstanceState.ShuttingDown:
                ScheduleTerminate(scope, region, id);
                break;
            default:
                break;
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Keep each machine's latest state for the next start, then release its listeners.
        foreach (var group in _runtimes.ToList().GroupBy(r => r.Value.AccountId, StringComparer.Ordinal))
        {
            await using (var scope = await _state.EnterAsync(group.Key, cancellationToken))
            {
                foreach (var (id, runtime) in group)
                {
                    var instance = scope.Find<Ec2RegionState>(runtime.Region)?.Instances.GetValueOrDefault(id);
                    if (instance is not null && runtime.Machine is { } machine)
                    {
                        instance.Machine = machine.Snapshot();
                        scope.MarkChanged<Ec2RegionState>(runtime.Region);
                    }
                }
            }

            foreach (var (id, _) in group)
            {
                await ShutdownMachineAsync(id, dispose: true, cancellationToken);
            }
        }
    }

    public async Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken)
    {
        foreach (var (_, ec2) in scope.All<Ec2RegionState>())
        {
            foreach (var instance in ec2.Instances.Values)
            {
                ReleasePublicIp(instance);
                if (_runtimes.TryGetValue(instance.InstanceId, out var runtime))
                {
                    // Machine gates are taken without the account lock held elsewhere, so taking one here cannot deadlock.
                    await ShutdownMachineAsync(instance.InstanceId, dispose: true, cancellationToken);
                    runtime.Disposed = true;
                }
            }
        }
    }

    public void Dispose()
    {
        _resolver.Dispose();
        _events.Writer.TryComplete();
    }

    private sealed record InstanceAddress(string AccountId, string Region, string InstanceId);

    private sealed class InstanceRuntime(string accountId, string region)
    {
        public string AccountId { get; } = accountId;

        public string Region { get; } = region;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IMachine? Machine { get; set; }

        public bool Disposed { get; set; }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
