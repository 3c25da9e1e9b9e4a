using System.Xml;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.AutoScaling;

public sealed partial class AutoScalingService
{
    private static readonly string[] HealthCheckTypes = ["EC2", "ELB", "EBS", "VPC_LATTICE"];

    private async Task<ApiResult> CreateAutoScalingGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = ReadGroupName(p);
        var min = p.GetRequiredInt("MinSize", 0);
        var max = p.GetRequiredInt("MaxSize", 0);
        var desired = p.GetInt("DesiredCapacity", 0) ?? min;
        ValidateSizes(min, max, desired);
        if (!p.HasAny("LaunchTemplate"))
        {
            throw new ApiException("ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.");
        }

        var healthCheckType = ReadHealthCheckType(p) ?? "EC2";
        var gracePeriod = p.GetInt("HealthCheckGracePeriod", 0) ?? 0;
        var cooldown = p.GetInt("DefaultCooldown", 0) ?? 300;
        var tags = ReadTags(p, name);
        var targetGroups = p.GetList("TargetGroupARNs").Select(arn => new AsgTrafficSource { Identifier = arn }).ToList();
        targetGroups.AddRange(ReadTrafficSources(p).Select(s => new AsgTrafficSource { Identifier = s, ViaTrafficSources = true }));

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Read<AutoScalingRegionState>(request.Region);
        if (asg.Groups.ContainsKey(name))
        {
            throw new ApiException("AlreadyExists", $"AutoScalingGroup by this name already exists - A group with the name {name} already exists");
        }

        var (templateId, templateName, version) = ReadLaunchTemplate(scope, request.Region, p);
        var (zones, subnets) = ReadPlacement(scope, request.Region, p);
        EnsureTargetGroupsExist(scope, request.Region, targetGroups.Select(t => t.Identifier));

        var now = Now;
        var group = new AsgGroup
        {
            Name = name,
            Arn = $"arn:aws:autoscaling:{request.Region}:{request.AccountId}:autoScalingGroup:{Guid.NewGuid()}:autoScalingGroupName/{name}",
            LaunchTemplateId = templateId,
            LaunchTemplateName = templateName,
            LaunchTemplateVersion = version,
            MinSize = min,
            MaxSize = max,
            DesiredCapacity = desired,
            DefaultCooldown = cooldown,
            AvailabilityZones = zones,
            SubnetIds = subnets,
            HealthCheckType = healthCheckType,
            HealthCheckGracePeriod = gracePeriod,
            CreatedTime = now,
            Tags = tags,
            NewInstancesProtectedFromScaleIn = p.GetBool("NewInstancesProtectedFromScaleIn") == true,
            CapacityRebalance = p.GetBool("CapacityRebalance") == true,
            TrafficSources = targetGroups.DistinctBy(t => t.Identifier, StringComparer.Ordinal).ToList(),
            CapacityCause = desired == 0 ? null : $"At {AsgActivities.Stamp(now)} a user request created an AutoScalingGroup changing the desired capacity from 0 to {desired}.",
        };
        scope.Write<AutoScalingRegionState>(request.Region).Groups[name] = group;
        WakeAfter(scope);
        return ApiResult.Xml(null);
    }

    private async Task<ApiResult> DescribeAutoScalingGroupsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var names = p.GetList("AutoScalingGroupNames");
        var filters = p.GetFilters("Filters");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Find<AutoScalingRegionState>(request.Region);
        var groups = (asg?.Groups.Values ?? Enumerable.Empty<AsgGroup>())
            .Where(g => names.Count == 0 || names.Contains(g.Name, StringComparer.Ordinal))
            .Where(g => filters.All(f => f.Matches(TagFilterValues(f.Name, g))))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        // MaxRecords defaults to 50 and may be up to 100 (DescribeAutoScalingGroups API reference; verified against AWS, issue 19).
        var (page, next) = Paginate(groups, p, 100, 50);
        return ApiResult.Xml(w =>
        {
            w.MemberList("AutoScalingGroups", page, (x, g) => WriteGroup(x, g, request.AccountId));
            w.Element("NextToken", next);
        });
    }

    private async Task<ApiResult> UpdateAutoScalingGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = ReadGroupName(p);
        var newMin = p.GetInt("MinSize", 0);
        var newMax = p.GetInt("MaxSize", 0);
        var newDesired = p.GetInt("DesiredCapacity", 0);
        var healthCheckType = ReadHealthCheckType(p);
        var gracePeriod = p.GetInt("HealthCheckGracePeriod", 0);
        var cooldown = p.GetInt("DefaultCooldown", 0);

        var protect = p.GetBool("NewInstancesProtectedFromScaleIn");
        var rebalance = p.GetBool("CapacityRebalance");

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);

        // UpdateAutoScalingGroup words a missing group differently from the other calls (verified against AWS, issue 19).
        var group = scope.Read<AutoScalingRegionState>(request.Region).Groups.GetValueOrDefault(name)
            ?? throw new ApiException("ValidationError", "AutoScalingGroup name not found - null");
        EnsureNotDeleting(group);
        var min = newMin ?? group.MinSize;
        var max = newMax ?? group.MaxSize;

        // A new minimum above the desired capacity raises it, a new maximum below lowers it (UpdateAutoScalingGroup API reference).
        var desired = newDesired ?? Math.Clamp(group.DesiredCapacity, min, Math.Max(min, max));
        ValidateSizes(min, max, desired);
        var template = p.HasAny("LaunchTemplate") ? ReadLaunchTemplate(scope, request.Region, p) : ((string?, string?, string?)?)null;
        var placement = p.Has("VPCZoneIdentifier") || p.HasAny("AvailabilityZones") ? ReadPlacement(scope, request.Region, p) : ((List<string>, List<string>)?)null;

        group = scope.Write<AutoScalingRegionState>(request.Region).Groups[name];
        if (desired != group.DesiredCapacity)
        {
            group.CapacityCause = $"At {AsgActivities.Stamp(Now)} a user request update of AutoScalingGroup constraints to min: {min}, max: {max}, desired: {desired} changing the desired capacity from {group.DesiredCapacity} to {desired}.";
        }

        group.MinSize = min;
        group.MaxSize = max;
        group.DesiredCapacity = desired;
        group.HealthCheckType = healthCheckType ?? group.HealthCheckType;
        group.HealthCheckGracePeriod = gracePeriod ?? group.HealthCheckGracePeriod;
        group.DefaultCooldown = cooldown ?? group.DefaultCooldown;
        group.NewInstancesProtectedFromScaleIn = protect ?? group.NewInstancesProtectedFromScaleIn;
        group.CapacityRebalance = rebalance ?? group.CapacityRebalance;
        if (template is var (templateId, templateName, version))
        {
            (group.LaunchTemplateId, group.LaunchTemplateName, group.LaunchTemplateVersion) = (templateId, templateName, version);
        }

        if (placement is var (zones, subnets))
        {
            (group.AvailabilityZones, group.SubnetIds) = (zones, subnets);
        }

        WakeAfter(scope);
        return ApiResult.Xml(null);
    }

    private async Task<ApiResult> DeleteAutoScalingGroupAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = ReadGroupName(p);
        var force = p.GetBool("ForceDelete") ?? false;
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Read<AutoScalingRegionState>(request.Region);
        var group = FindGroup(asg, name);
        if (!force)
        {
            // aws-behaviour.md section 3: without ForceDelete a group with instances or running activities stays.
            if (group.Instances.Count > 0)
            {
                throw new ApiException("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.");
            }

            if (asg.Activities.Any(a => a.GroupName == name && a.EndTime is null))
            {
                throw new ApiException("ScalingActivityInProgress", "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.");
            }
        }

        asg = scope.Write<AutoScalingRegionState>(request.Region);
        if (group.Instances.Count == 0)
        {
            asg.Groups.Remove(name);
            foreach (var activity in asg.Activities.Where(a => a.GroupName == name))
            {
                activity.GroupDeleted = true;
            }

            foreach (var source in group.TrafficSources)
            {
                _targetGroups.DeregisterAll(scope, request.Region, group, source.Identifier);
            }

            return ApiResult.Xml(null);
        }

        if (!group.Deleting)
        {
            // ForceDelete: the controller terminates every instance, then removes the group.
            group.CapacityCause = $"At {AsgActivities.Stamp(Now)} a user request deleted the AutoScalingGroup, changing the desired capacity from {group.DesiredCapacity} to 0.";
            group.Deleting = true;
            group.MinSize = 0;
            group.MaxSize = 0;
            group.DesiredCapacity = 0;
        }

        WakeAfter(scope);
        return ApiResult.Xml(null);
    }

    private async Task<ApiResult> SetDesiredCapacityAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = ReadGroupName(p);
        var desired = p.GetRequiredInt("DesiredCapacity", 0);
        // Parsed so a malformed value is refused; without scaling policies there is no cooldown to honour.
        p.GetBool("HonorCooldown");
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var group = FindGroup(scope.Read<AutoScalingRegionState>(request.Region), name);
        EnsureNotDeleting(group);
        if (desired > group.MaxSize)
        {
            throw new ApiException("ValidationError", $"New SetDesiredCapacity value {desired} is above max value {group.MaxSize} for the AutoScalingGroup.");
        }

        if (desired < group.MinSize)
        {
            throw new ApiException("ValidationError", $"New SetDesiredCapacity value {desired} is below min value {group.MinSize} for the AutoScalingGroup.");
        }

        group = scope.Write<AutoScalingRegionState>(request.Region).Groups[name];
        if (desired != group.DesiredCapacity)
        {
            group.CapacityCause = $"At {AsgActivities.Stamp(Now)} a user request explicitly set group desired capacity changing the desired capacity from {group.DesiredCapacity} to {desired}.";
            group.DesiredCapacity = desired;
        }

        WakeAfter(scope);
        return ApiResult.Xml(null);
    }

    private static void WriteGroup(XmlWriter w, AsgGroup g, string accountId)
    {
        var targetGroups = g.TrafficSources.Where(t => t.Type == "elbv2" && t.State is not ("Removing" or "Removed")).ToList();
        w.Element("AutoScalingGroupName", g.Name)
            .Element("AutoScalingGroupARN", g.Arn);
        WriteLaunchTemplate(w, g.LaunchTemplateId, g.LaunchTemplateName, g.LaunchTemplateVersion);
        w.Element("MinSize", g.MinSize)
            .Element("MaxSize", g.MaxSize)
            .Element("DesiredCapacity", g.DesiredCapacity)
            .Element("DefaultCooldown", g.DefaultCooldown)
            .MemberList("AvailabilityZones", g.AvailabilityZones, (x, z) => x.WriteString(z))
            .MemberList("LoadBalancerNames", Array.Empty<string>(), (x, n) => x.WriteString(n))
            .MemberList("TargetGroupARNs", targetGroups, (x, t) => x.WriteString(t.Identifier))
            .Element("HealthCheckType", g.HealthCheckType)
            .Element("HealthCheckGracePeriod", g.HealthCheckGracePeriod)
            .MemberList("Instances", g.Instances, (x, i) =>
            {
                x.Element("InstanceId", i.InstanceId)
                    .Element("InstanceType", i.InstanceType)
                    .Element("AvailabilityZone", i.AvailabilityZone)
                    .Element("LifecycleState", i.LifecycleState)
                    .Element("HealthStatus", i.HealthStatus);
                WriteLaunchTemplate(x, i.LaunchTemplateId, i.LaunchTemplateName, i.LaunchTemplateVersion);
                x.Element("ProtectedFromScaleIn", i.ProtectedFromScaleIn);
            })
            .Element("CreatedTime", g.CreatedTime)
            .MemberList("SuspendedProcesses", Array.Empty<string>(), (x, s) => x.WriteString(s))
            .Element("VPCZoneIdentifier", g.SubnetIds.Count == 0 ? null : string.Join(',', g.SubnetIds))
            .MemberList("EnabledMetrics", Array.Empty<string>(), (x, m) => x.WriteString(m))
            .Element("Status", g.Deleting ? "Delete in progress" : null)
            .MemberList("Tags", g.Tags, (x, t) => WriteTag(x, g.Name, t))
            .MemberList("TerminationPolicies", ["Default"], (x, t) => x.WriteString(t))
            .Element("NewInstancesProtectedFromScaleIn", g.NewInstancesProtectedFromScaleIn)
            .Element("ServiceLinkedRoleARN", $"arn:aws:iam::{accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
            .Element("CapacityRebalance", g.CapacityRebalance)
            .MemberList("TrafficSources", targetGroups, (x, t) => x.Element("Identifier", t.Identifier).Element("Type", t.Type));
    }

    private static string ReadGroupName(QueryParameters p)
    {
        var name = p.GetRequired("AutoScalingGroupName");
        if (name.Length > 255)
        {
            throw p.Invalid("AutoScalingGroupName", name, "Member must have length less than or equal to 255");
        }

        return name;
    }

    private static void ValidateSizes(int min, int max, int desired)
    {
        if (min > max)
        {
            throw new ApiException("ValidationError", $"Max bound, {max}, must be greater than or equal to min bound, {min}");
        }

        if (desired < min || desired > max)
        {
            throw new ApiException("ValidationError", $"Desired capacity:{desired} must be between the specified min size:{min} and max size:{max}");
        }
    }

    private static string? ReadHealthCheckType(QueryParameters p)
    {
        var value = p.Get("HealthCheckType");
        if (value is null)
        {
            return null;
        }

        // "A comma-separated value string of one or more health check types" (aws-behaviour.md section 3).
        foreach (var type in value.Split(','))
        {
            if (!HealthCheckTypes.Contains(type.Trim(), StringComparer.Ordinal))
            {
                throw new ApiException("ValidationError", $"Health check type '{QueryParameters.Shorten(type)}' is not valid. Valid values are EC2, ELB, EBS and VPC_LATTICE.");
            }
        }

        return value;
    }

    /// <summary>Resolves LaunchTemplate.LaunchTemplateId or .LaunchTemplateName and its Version against EC2's templates.</summary>
    private static (string Id, string Name, string? Version) ReadLaunchTemplate(AccountScope scope, string region, QueryParameters p)
    {
        var spec = p.Struct("LaunchTemplate");
        var id = spec.Get("LaunchTemplateId");
        var name = spec.Get("LaunchTemplateName");
        var version = spec.Get("Version");
        if ((id is null) == (name is null))
        {
            throw new ApiException("ValidationError", "Valid requests must contain either launchTemplateId or LaunchTemplateName");
        }

        var templates = scope.Read<Ec2RegionState>(region).LaunchTemplates;
        var template = id is not null
            ? templates.GetValueOrDefault(id)
            : templates.Values.FirstOrDefault(t => t.LaunchTemplateName == name);
        var described = id is not null ? $"template ID {QueryParameters.Shorten(id)}" : $"template name {QueryParameters.Shorten(name!)}";
        if (template is null)
        {
            throw new ApiException("ValidationError", $"You must use a valid fully-formed launch template. The specified launch template, with {described}, does not exist.");
        }

        if (template.FindVersion(version) is null)
        {
            throw new ApiException("ValidationError", $"You must use a valid fully-formed launch template. The specified launch template version {QueryParameters.Shorten(version ?? "$Default")}, with {described}, does not exist.");
        }

        return (template.LaunchTemplateId, template.LaunchTemplateName, version);
    }

    /// <summary>VPCZoneIdentifier (subnets; the zones follow from them) or AvailabilityZones (the zones' default subnets).</summary>
    private static (List<string> Zones, List<string> Subnets) ReadPlacement(AccountScope scope, string region, QueryParameters p)
    {
        var ec2 = scope.Read<Ec2RegionState>(region);
        var identifier = p.Get("VPCZoneIdentifier");
        if (!string.IsNullOrWhiteSpace(identifier))
        {
            var subnets = identifier.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
            var zones = new List<string>();
            foreach (var id in subnets)
            {
                var subnet = ec2.Subnets.GetValueOrDefault(id)
                    ?? throw new ApiException("ValidationError", $"The subnet ID '{QueryParameters.Shorten(id)}' does not exist");
                if (!zones.Contains(subnet.AvailabilityZone, StringComparer.Ordinal))
                {
                    zones.Add(subnet.AvailabilityZone);
                }
            }

            return (zones, subnets);
        }

        var requested = p.GetList("AvailabilityZones");
        if (requested.Count == 0)
        {
            throw new ApiException("ValidationError", "At least one Availability Zone or VPC Subnet is required.");
        }

        var known = Ec2Regions.AvailabilityZones(region);
        foreach (var zone in requested)
        {
            if (!known.Contains(zone, StringComparer.Ordinal))
            {
                throw new ApiException("ValidationError", $"The availability zone '{QueryParameters.Shorten(zone)}' is not legal in region {region}.");
            }
        }

        return (requested.Distinct(StringComparer.Ordinal).ToList(), []);
    }
}
