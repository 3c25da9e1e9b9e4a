using System.Security.Cryptography;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Launches instances (RunInstances): client-token idempotency, the account's limits and policy,
/// the launch checks (<see cref="Ec2LaunchChecks"/>), then one pending instance per count with its
/// addresses, its state-change event and its boot timer.
/// </summary>
public sealed class Ec2InstanceLauncher
{
    /// <summary>EC2's default On-Demand limit stand-in: a lab needs a handful; a runaway script should stop early.</summary>
    public const int MaxInstancesPerRegion = 20;

    private readonly SandboxClock _clock;
    private readonly AccountQuotaBook? _quotas;
    private readonly Ec2InstanceAddresses _addresses;
    private readonly Ec2InstanceEvents _events;
    private readonly Ec2InstanceTransitions _transitions;

    public Ec2InstanceLauncher(SandboxClock clock, Ec2InstanceAddresses addresses, Ec2InstanceEvents events, Ec2InstanceTransitions transitions, IServiceProvider services)
    {
        _clock = clock;
        _addresses = addresses;
        _events = events;
        _transitions = transitions;
        _quotas = services.GetService<AccountQuotaBook>();
    }

    public Ec2Reservation RunInstances(AccountScope scope, string region, InstanceLaunchSpec spec)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(spec);
        var ec2 = scope.Read<Ec2RegionState>(region);
        var fingerprint = Ec2LaunchChecks.Fingerprint(spec);
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

        var templateResource = Ec2LaunchChecks.ResolveTemplate(ec2, spec);
        var templateVersion = templateResource is null ? null : Ec2LaunchChecks.ResolveTemplateVersion(templateResource, spec);
        var template = templateVersion?.Data;
        var imageId = spec.ImageId ?? template?.ImageId ?? throw new ApiException("MissingParameter", "The request must contain the parameter ImageId");
        var image = Ec2LaunchChecks.FindImage(region, imageId);
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
        var subnet = Ec2LaunchChecks.ChooseSubnet(ec2, spec.SubnetId ?? template?.SubnetId, spec.AvailabilityZone ?? template?.AvailabilityZone);
        var groups = Ec2LaunchChecks.ChooseGroups(ec2, subnet, spec.SecurityGroupIds.Count > 0 || spec.SecurityGroupNames.Count > 0 ? spec.SecurityGroupIds : template?.SecurityGroupIds ?? [], spec.SecurityGroupIds.Count > 0 || spec.SecurityGroupNames.Count > 0 ? spec.SecurityGroupNames : template?.SecurityGroupNames ?? []);
        var userData = spec.UserData ?? template?.UserData;
        Ec2LaunchChecks.ValidateUserData(userData);
        var keyName = spec.KeyName ?? template?.KeyName;
        if (keyName is not null && !ec2.KeyPairs.Values.Any(k => k.KeyName == keyName))
        {
            throw new ApiException("InvalidKeyPair.NotFound", $"The key pair '{QueryParameters.Shorten(keyName)}' does not exist");
        }

        var (profileArn, profileId) = spec.IamInstanceProfileName is not null || spec.IamInstanceProfileArn is not null
            ? Ec2LaunchChecks.ResolveInstanceProfile(scope.AccountId, spec.IamInstanceProfileName, spec.IamInstanceProfileArn)
            : Ec2LaunchChecks.ResolveInstanceProfile(scope.AccountId, template?.IamInstanceProfileName, template?.IamInstanceProfileArn);

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
            Ec2LaunchChecks.ValidateRequestedPrivateIp(ec2, subnet, requestedIp, count);
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
                PrivateIpAddress = requestedIp ?? Ec2InstanceAddresses.AllocatePrivateIp(ec2, subnet),
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
                instance.PublicIpAddress = _addresses.AllocatePublicIp(scope.AccountId, region, instance.InstanceId);
            }

            ec2.Instances[instance.InstanceId] = instance;
            launched.Add(instance);
            _events.Raise(scope, region, instance, Ec2InstanceState.Pending);
            _transitions.ScheduleBoot(scope, region, instance.InstanceId, Ec2InstanceState.Pending);
        }

        if (spec.ClientToken is not null)
        {
            ec2.ClientTokens[spec.ClientToken] = new Ec2ClientToken { ReservationId = reservationId, Fingerprint = fingerprint };
        }

        return new Ec2Reservation(reservationId, launched);
    }
}
