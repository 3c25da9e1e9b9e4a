using System.Globalization;
using System.Text;
using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private async Task<ApiResult> RunInstancesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var minCount = p.GetRequiredInt("MinCount");
        var maxCount = p.GetRequiredInt("MaxCount");
        var tagSpecs = Ec2Tags.ReadSpecifications(p, "TagSpecification", "instance", "volume", "network-interface", "spot-instances-request", "elastic-gpu");
        var template = p.Struct("LaunchTemplate");
        var interfaces = p.GetStructs("NetworkInterface");
        var networkInterface = interfaces.Count > 0 ? interfaces[0] : null;
        var groupIds = p.GetList("SecurityGroupId").ToList();
        if (networkInterface is not null)
        {
            groupIds.AddRange(networkInterface.GetList("SecurityGroupId"));
        }

        var spec = new InstanceLaunchSpec
        {
            ImageId = p.Get("ImageId"),
            InstanceType = p.Get("InstanceType"),
            MinCount = minCount,
            MaxCount = maxCount,
            SubnetId = p.Get("SubnetId") ?? networkInterface?.Get("SubnetId"),
            AvailabilityZone = p.Struct("Placement").Get("AvailabilityZone"),
            SecurityGroupIds = groupIds,
            SecurityGroupNames = p.GetList("SecurityGroup"),
            UserData = p.Get("UserData"),
            KeyName = p.Get("KeyName"),
            IamInstanceProfileName = p.Struct("IamInstanceProfile").Get("Name"),
            IamInstanceProfileArn = p.Struct("IamInstanceProfile").Get("Arn"),
            Tags = tagSpecs.GetValueOrDefault("instance") ?? new Dictionary<string, string>(),
            ClientToken = p.Get("ClientToken"),
            LaunchTemplateId = template.Get("LaunchTemplateId"),
            LaunchTemplateName = template.Get("LaunchTemplateName"),
            LaunchTemplateVersion = template.Get("Version"),
            AssociatePublicIpAddress = networkInterface?.GetBool("AssociatePublicIpAddress"),
            DisableApiTermination = p.GetBool("DisableApiTermination") == true,
            DisableApiStop = p.GetBool("DisableApiStop") == true,
            PrivateIpAddress = p.Get("PrivateIpAddress") ?? networkInterface?.Get("PrivateIpAddress"),
            MonitoringEnabled = p.Struct("Monitoring").GetBool("Enabled") == true,
            EbsOptimized = p.GetBool("EbsOptimized") == true,
            HibernationConfigured = p.Struct("HibernationOptions").GetBool("Configured") == true,
        };

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var reservation = _instances.RunInstances(scope, request.Region, spec);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        return ApiResult.Xml(w =>
        {
            w.Element("reservationId", reservation.ReservationId)
                .Element("ownerId", request.AccountId)
                .ItemSet("groupSet", Array.Empty<string>(), (_, _) => { });
            w.ItemSet("instancesSet", reservation.Instances, (x, i) => WriteInstance(x, i, ec2, request));
        });
    }

    private async Task<ApiResult> DescribeInstancesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("InstanceId");
        var filters = p.GetFilters();
        if (ids.Count > 0 && p.Has("MaxResults"))
        {
            throw new ApiException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        foreach (var id in ids)
        {
            if (!Ec2Ids.IsWellFormed(id, "i"))
            {
                throw new ApiException("InvalidInstanceID.Malformed", $"Invalid id: \"{QueryParameters.Shorten(id)}\"");
            }
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        _instances.PurgeExpired(scope, request.Region);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var missing = ids.Where(id => !ec2.Instances.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw Ec2InstanceLookup.NotFound(missing);
        }

        var instances = ec2.Instances.Values
            .Where(i => ids.Count == 0 || ids.Contains(i.InstanceId))
            .Where(i => MatchesAll(filters, f => InstanceFilterValues(f, i, ec2, request)))
            .OrderBy(i => i.LaunchTime)
            .ThenBy(i => i.ReservationId, StringComparer.Ordinal)
            .ThenBy(i => i.AmiLaunchIndex)
            .ToList();
        var (page, next) = Paginate(instances, p);
        var reservations = page.GroupBy(i => i.ReservationId).ToList();
        return ApiResult.Xml(w =>
        {
            w.ItemSet("reservationSet", reservations, (x, r) => x
                .Element("reservationId", r.Key)
                .Element("ownerId", request.AccountId)
                .ItemSet("groupSet", Array.Empty<string>(), (_, _) => { })
                .ItemSet("instancesSet", r, (y, i) => WriteInstance(y, i, ec2, request)));
            w.Element("nextToken", next);
        });
    }

    private static IEnumerable<string?>? InstanceFilterValues(string filter, Ec2Instance i, Ec2RegionState ec2, ApiRequest request) =>
        TagFilterValues(filter, i.Tags) ?? filter switch
        {
            "instance-id" => [i.InstanceId],
            "instance-state-name" => [i.State.WireName()],
            "instance-state-code" => [i.State.Code().ToString(CultureInfo.InvariantCulture)],
            "subnet-id" or "network-interface.subnet-id" => [i.SubnetId],
            "vpc-id" or "network-interface.vpc-id" => [i.VpcId],
            "availability-zone" => [i.AvailabilityZone],
            "instance-type" => [i.InstanceType],
            "image-id" => [i.ImageId],
            "architecture" => [i.Architecture],
            "key-name" => [i.KeyName],
            "owner-id" => [request.AccountId],
            "reservation-id" => [i.ReservationId],
            "client-token" => [i.ClientToken],
            "private-ip-address" or "network-interface.addresses.private-ip-address" => [i.PrivateIpAddress],
            "ip-address" => [i.PublicIpAddress],
            "private-dns-name" => [Ec2InstanceAddresses.PrivateDnsName(i.PrivateIpAddress, request.Region)],
            "dns-name" => [i.PublicIpAddress is null ? null : Ec2InstanceAddresses.PublicDnsName(i.PublicIpAddress, request.Region)],
            "instance.group-id" or "group-id" => i.SecurityGroupIds,
            "instance.group-name" or "group-name" => i.SecurityGroupIds.Select(g => ec2.SecurityGroups.GetValueOrDefault(g)?.GroupName),
            "launch-time" => [XmlWriterExtensions.FormatTimestamp(i.LaunchTime)],
            _ => null,
        };

    /// <summary>The EC2 <c>Instance</c> shape (service-2.json member names map to the locationNames written here).</summary>
    private static void WriteInstance(XmlWriter w, Ec2Instance i, Ec2RegionState ec2, ApiRequest request)
    {
        var region = request.Region;
        var privateDns = Ec2InstanceAddresses.PrivateDnsName(i.PrivateIpAddress, region);
        var publicDns = i.PublicIpAddress is null ? string.Empty : Ec2InstanceAddresses.PublicDnsName(i.PublicIpAddress, region);
        w.Element("instanceId", i.InstanceId)
            .Element("imageId", i.ImageId)
            .Struct("instanceState", s => s.Element("code", i.State.Code()).Element("name", i.State.WireName()))
            .Element("privateDnsName", privateDns)

            // EC2 answers an empty dnsName while the instance has no public address.
            .Element("dnsName", publicDns)
            .Element("reason", i.StateTransitionReason)
            .Element("keyName", i.KeyName)
            .Element("amiLaunchIndex", i.AmiLaunchIndex)
            .ItemSet("productCodes", Array.Empty<string>(), (_, _) => { })
            .Element("instanceType", i.InstanceType)
            .Element("launchTime", i.LaunchTime)
            .Struct("placement", s => s.Element("availabilityZone", i.AvailabilityZone).Element("availabilityZoneId", Ec2Regions.ZoneId(i.AvailabilityZone)).Element("groupName", string.Empty).Element("tenancy", "default"))
            .Struct("monitoring", s => s.Element("state", i.MonitoringEnabled ? "enabled" : "disabled"))
            .Element("subnetId", i.SubnetId)
            .Element("vpcId", i.VpcId)
            .Element("privateIpAddress", i.PrivateIpAddress)
            .Element("ipAddress", i.PublicIpAddress)
            .Element("sourceDestCheck", i.SourceDestCheck)
            .ItemSet("groupSet", i.SecurityGroupIds, (x, g) => x.Element("groupId", g).Element("groupName", ec2.SecurityGroups.GetValueOrDefault(g)?.GroupName));
        if (i.StateReasonCode is not null)
        {
            w.Struct("stateReason", s => s.Element("code", i.StateReasonCode).Element("message", i.StateReasonMessage ?? i.StateReasonCode));
        }
        else if (i.State == Ec2InstanceState.Pending)
        {
            // AWS reports a launching instance's reason as pending/pending (RunInstances and DescribeInstances).
            w.Struct("stateReason", s => s.Element("code", "pending").Element("message", "pending"));
        }

        w.Element("architecture", i.Architecture)
            .Element("rootDeviceType", "ebs")
            .Element("rootDeviceName", "/dev/xvda")
            .ItemSet("blockDeviceMapping", i.State == Ec2InstanceState.Terminated || i.RootVolumeId.Length == 0 ? [] : new[] { i }, (x, _) => x
                .Element("deviceName", "/dev/xvda")
                .Struct("ebs", e => e
                    .Element("volumeId", i.RootVolumeId)
                    .Element("status", "attached")
                    .Element("attachTime", i.LaunchTime)
                    .Element("deleteOnTermination", true)))
            .Element("virtualizationType", "hvm")
            .Element("clientToken", i.ClientToken ?? string.Empty);
        if (i.Tags.Count > 0)
        {
            w.TagSet(i.Tags);
        }

        if (i.IamInstanceProfileArn is not null)
        {
            w.Struct("iamInstanceProfile", s => s.Element("arn", i.IamInstanceProfileArn).Element("id", i.IamInstanceProfileId));
        }

        w.Element("hypervisor", "xen")
            .ItemSet("networkInterfaceSet", i.State == Ec2InstanceState.Terminated || i.NetworkInterfaceId.Length == 0 ? [] : new[] { i }, (x, _) =>
            {
                x.Element("networkInterfaceId", i.NetworkInterfaceId)
                    .Element("subnetId", i.SubnetId)
                    .Element("vpcId", i.VpcId)
                    .Element("description", string.Empty)
                    .Element("ownerId", request.AccountId)
                    .Element("status", "in-use")
                    .Element("macAddress", i.MacAddress)
                    .Element("privateIpAddress", i.PrivateIpAddress)
                    .Element("privateDnsName", privateDns)
                    .Element("sourceDestCheck", i.SourceDestCheck)
                    .ItemSet("groupSet", i.SecurityGroupIds, (g, id) => g.Element("groupId", id).Element("groupName", ec2.SecurityGroups.GetValueOrDefault(id)?.GroupName))
                    .Struct("attachment", a => a
                        .Element("attachmentId", "eni-attach-" + i.NetworkInterfaceId[4..])
                        .Element("deviceIndex", 0)
                        .Element("networkCardIndex", 0)
                        .Element("status", "attached")
                        .Element("attachTime", i.LaunchTime)
                        .Element("deleteOnTermination", true));
                WriteAssociation(x, i, publicDns);
                x.ItemSet("privateIpAddressesSet", new[] { i }, (a, _) =>
                {
                    a.Element("privateIpAddress", i.PrivateIpAddress).Element("privateDnsName", privateDns).Element("primary", true);
                    WriteAssociation(a, i, publicDns);
                });
                x.ItemSet("ipv6AddressesSet", Array.Empty<string>(), (_, _) => { })
                    .Element("interfaceType", "interface");
            })
            .Element("ebsOptimized", i.EbsOptimized)
            .Element("enaSupport", true)
            .Struct("cpuOptions", s => s.Element("coreCount", 1).Element("threadsPerCore", 2))
            .Struct("metadataOptions", s => s
                .Element("state", "applied")
                .Element("httpTokens", "required")
                .Element("httpPutResponseHopLimit", 2)
                .Element("httpEndpoint", "enabled")
                .Element("httpProtocolIpv6", "disabled")
                .Element("instanceMetadataTags", "disabled"))
            .Struct("hibernationOptions", s => s.Element("configured", i.HibernationConfigured))
            .Element("platformDetails", "Linux/UNIX")
            .Element("usageOperation", "RunInstances")
            .Struct("privateDnsNameOptions", s => s
                .Element("hostnameType", "ip-name")
                .Element("enableResourceNameDnsARecord", false)
                .Element("enableResourceNameDnsAAAARecord", false));
    }

    private static void WriteAssociation(XmlWriter w, Ec2Instance i, string publicDns)
    {
        if (i.PublicIpAddress is not null)
        {
            w.Struct("association", a => a.Element("publicIp", i.PublicIpAddress).Element("publicDnsName", publicDns).Element("ipOwnerId", "amazon"));
        }
    }

    private async Task<ApiResult> StopInstancesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Parameters.GetList("InstanceId");
        request.Parameters.GetBool("Force");
        request.Parameters.GetBool("Hibernate");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var protectedInstance = Ec2InstanceLookup.Lookup(scope, request.Region, ids).FirstOrDefault(i => i.DisableApiStop);
        if (protectedInstance is not null)
        {
            throw new ApiException("OperationNotPermitted", $"The instance '{protectedInstance.InstanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.");
        }

        return StateChanges(_instances.StopInstances(scope, request.Region, ids));
    }

    private async Task<ApiResult> StartInstancesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Parameters.GetList("InstanceId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        return StateChanges(_instances.StartInstances(scope, request.Region, ids));
    }

    private async Task<ApiResult> TerminateInstancesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Parameters.GetList("InstanceId");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);

        // Termination protection guards the API only (EC2 user guide, "Enable termination protection").
        var protectedInstance = Ec2InstanceLookup.Lookup(scope, request.Region, ids).FirstOrDefault(i => i.DisableApiTermination && i.State != Ec2InstanceState.Terminated);
        if (protectedInstance is not null)
        {
            throw new ApiException("OperationNotPermitted", $"The instance '{protectedInstance.InstanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.");
        }

        return StateChanges(_instances.TerminateInstances(scope, request.Region, ids));
    }

    private static ApiResult StateChanges(IReadOnlyList<Ec2StateChange> changes) => ApiResult.Xml(w => w.ItemSet("instancesSet", changes, (x, c) => x
        .Element("instanceId", c.InstanceId)
        .Struct("currentState", s => s.Element("code", c.CurrentState.Code()).Element("name", c.CurrentState.WireName()))
        .Struct("previousState", s => s.Element("code", c.PreviousState.Code()).Element("name", c.PreviousState.WireName()))));

    private async Task<ApiResult> GetConsoleOutputAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var id = request.Parameters.GetRequired("InstanceId");
        request.Parameters.GetBool("Latest");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var instance = Ec2InstanceLookup.Lookup(scope, request.Region, [id])[0];
        var text = _instances.GetMachine(request.AccountId, id)?.ConsoleOutput ?? instance.Machine?.ConsoleOutput ?? string.Empty;

        // EC2 returns the console as base64; botocore's GetConsoleOutput leaves it encoded (the CLI decodes it).
        var encoded = text.Length == 0 ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        var now = _clock.UtcNow;
        return ApiResult.Xml(w => w
            .Element("instanceId", id)
            .Element("timestamp", now)
            .Element("output", encoded));
    }

    private static readonly string[] StatusSummaries = ["systemStatus", "instanceStatus"];

    private async Task<ApiResult> DescribeInstanceStatusAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var ids = p.GetList("InstanceId");
        var filters = p.GetFilters();
        var includeAll = p.GetBool("IncludeAllInstances") == true;
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var instances = ids.Count > 0
            ? Ec2InstanceLookup.Lookup(scope, request.Region, ids)
            : [.. scope.Read<Ec2RegionState>(request.Region).Instances.Values.OrderBy(i => i.LaunchTime)];
        var now = _clock.UtcNow;

        // Without IncludeAllInstances only running instances are described (EC2 API reference, DescribeInstanceStatus).
        var selected = instances
            .Where(i => includeAll || i.State == Ec2InstanceState.Running)
            .Select(i => (Instance: i, Status: StatusOf(i, now)))
            .Where(x => MatchesAll(filters, f => f switch
            {
                "availability-zone" => [x.Instance.AvailabilityZone],
                "instance-state-name" => [x.Instance.State.WireName()],
                "instance-state-code" => [x.Instance.State.Code().ToString(CultureInfo.InvariantCulture)],
                "instance-status.status" or "system-status.status" => [x.Status],
                "instance-status.reachability" or "system-status.reachability" => [x.Status == "ok" ? "passed" : x.Status],
                _ => null,
            }))
            .ToList();
        var (page, next) = Paginate(selected, p);
        return ApiResult.Xml(w =>
        {
            w.ItemSet("instanceStatusSet", page, (x, s) =>
            {
                x.Element("instanceId", s.Instance.InstanceId)
                    .Element("availabilityZone", s.Instance.AvailabilityZone)
                    .Struct("instanceState", st => st.Element("code", s.Instance.State.Code()).Element("name", s.Instance.State.WireName()));
                foreach (var name in StatusSummaries)
                {
                    x.Struct(name, st =>
                    {
                        st.Element("status", s.Status);
                        if (s.Status != "not-applicable")
                        {
                            st.ItemSet("details", new[] { s.Status }, (d, status) => d
                                .Element("name", "reachability")
                                .Element("status", status == "ok" ? "passed" : "initializing"));
                        }
                    });
                }

                x.ItemSet("eventsSet", Array.Empty<string>(), (_, _) => { });
            });
            w.Element("nextToken", next);
        });
    }

    private string StatusOf(Ec2Instance instance, DateTimeOffset now) =>
        instance.State != Ec2InstanceState.Running ? "not-applicable"
        : instance.RunningSince is { } since && now - since < _clock.Scaled(Ec2Timings.StatusChecks) ? "initializing"
        : "ok";
}
