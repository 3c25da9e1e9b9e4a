using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Instructors;

/// <summary>What one line of an estimate counts.</summary>
public enum CostItem
{
    /// <summary>Instances the ledger holds (launched by a step).</summary>
    InstanceHours,

    /// <summary>Instances an Auto Scaling group launched: not in the ledger, estimated from its desired capacity.</summary>
    GroupInstanceHours,

    LoadBalancerHours,

    LcuHours,

    /// <summary>Public IPv4 addresses of the instances and the load balancers.</summary>
    PublicIpv4Hours,
}

/// <summary>One line: how many hours of what, and its price.</summary>
public sealed record CostLine(CostItem Item, decimal Hours, decimal Usd);

/// <summary>An estimate for one run; <see cref="UnpricedInstanceType"/> names a type the table lacks (not counted).</summary>
public sealed record CostEstimate(decimal TotalUsd, IReadOnlyList<CostLine> Lines, string? UnpricedInstanceType)
{
    public decimal Usd(CostItem item) => Lines.Where(l => l.Item == item).Sum(l => l.Usd);

    public decimal Hours(CostItem item) => Lines.Where(l => l.Item == item).Sum(l => l.Hours);
}

/// <summary>A change of an Auto Scaling group's desired capacity, e.g. a step that scaled it.</summary>
public sealed record CapacityChange(DateTime AtUtc, int DesiredCapacity);

/// <summary>
/// What a run would cost on AWS, from its ledger: each instance and load balancer from the moment its
/// create call returned (<see cref="LedgerEntry.CompletedAtUtc"/>) until it was deleted, or until now
/// while it lives. Billing rules mirrored: Linux instances per second with a one-minute minimum; a load
/// balancer per hour or partial hour; public IPv4 addresses per hour, prorated. Instances an Auto
/// Scaling group launches never reach the ledger, so they are estimated as the group's desired
/// capacity for as long as the group lives. Storage (EBS), data transfer and free-tier credits are
/// left out. docs/cost-estimate.md explains the table and its limits.
/// </summary>
public static class CostEstimator
{
    /// <summary>Lab 2 creates its group with desired capacity 2 (asg-behind-alb lab.yaml, step auto-scaling-group).</summary>
    public const int InitialGroupCapacity = 2;

    private const decimal SecondsPerHour = 3600m;

    public static CostEstimate Estimate(
        IEnumerable<LedgerEntry> ledger, string instanceType, IReadOnlyList<CapacityChange> capacityChanges, DateTime nowUtc, PriceTable prices)
    {
        var lines = new List<CostLine>();
        var instancePrice = prices.InstanceHourUsd.TryGetValue(instanceType, out var known) ? known : (decimal?)null;
        decimal instanceHours = 0, groupInstanceHours = 0, loadBalancerHours = 0, addressHours = 0;
        foreach (var entry in ledger)
        {
            if (Lifetime(entry, nowUtc) is not { } life)
            {
                continue;
            }

            var seconds = (decimal)(life.End - life.Start).TotalSeconds;
            switch (entry.Kind)
            {
                case ResourceKind.Instance:
                    // Per-second billing with a 60-second minimum (Linux on-demand).
                    instanceHours += Math.Max(seconds, 60m) / SecondsPerHour;
                    // Lab instances sit in default public subnets and get a public address.
                    addressHours += seconds / SecondsPerHour;
                    break;
                case ResourceKind.LoadBalancer:
                    // "per ALB-hour (or partial hour)": each started hour is billed whole.
                    var billed = Math.Ceiling(seconds / SecondsPerHour);
                    loadBalancerHours += billed;
                    addressHours += prices.PublicAddressesPerLoadBalancer * seconds / SecondsPerHour;
                    break;
                case ResourceKind.AutoScalingGroup:
                    var capacityHours = GroupInstanceHours(life.Start, life.End, capacityChanges);
                    groupInstanceHours += capacityHours;
                    addressHours += capacityHours;
                    break;
            }
        }

        if (instancePrice is { } price)
        {
            lines.Add(new CostLine(CostItem.InstanceHours, instanceHours, instanceHours * price));
            lines.Add(new CostLine(CostItem.GroupInstanceHours, groupInstanceHours, groupInstanceHours * price));
        }

        var lcuHours = loadBalancerHours * prices.AssumedLcusPerLoadBalancerHour;
        lines.Add(new CostLine(CostItem.LoadBalancerHours, loadBalancerHours, loadBalancerHours * prices.LoadBalancerHourUsd));
        lines.Add(new CostLine(CostItem.LcuHours, lcuHours, lcuHours * prices.LcuHourUsd));
        lines.Add(new CostLine(CostItem.PublicIpv4Hours, addressHours, addressHours * prices.PublicIpv4HourUsd));
        var unpriced = instancePrice is null && instanceHours + groupInstanceHours > 0 ? instanceType : null;
        return new CostEstimate(lines.Sum(l => l.Usd), lines, unpriced);
    }

    /// <summary>
    /// Desired capacity integrated over the group's life: <see cref="InitialGroupCapacity"/> from its
    /// creation, then each change from the moment it was made.
    /// </summary>
    public static decimal GroupInstanceHours(DateTime startUtc, DateTime endUtc, IReadOnlyList<CapacityChange> changes)
    {
        decimal hours = 0;
        var capacity = InitialGroupCapacity;
        var from = startUtc;
        foreach (var change in changes.OrderBy(c => c.AtUtc))
        {
            if (change.AtUtc <= startUtc)
            {
                capacity = change.DesiredCapacity;
                continue;
            }

            if (change.AtUtc >= endUtc)
            {
                break;
            }

            hours += capacity * (decimal)(change.AtUtc - from).TotalSeconds / SecondsPerHour;
            capacity = change.DesiredCapacity;
            from = change.AtUtc;
        }

        return hours + (capacity * (decimal)(endUtc - from).TotalSeconds / SecondsPerHour);
    }

    /// <summary>From create to delete (or now); null for a resource that was never created.</summary>
    private static (DateTime Start, DateTime End)? Lifetime(LedgerEntry entry, DateTime nowUtc)
    {
        if (entry.CompletedAtUtc is not { } start)
        {
            return null;
        }

        var end = entry.DeletedAtUtc ?? (entry.State == LedgerState.Deleted ? start : nowUtc);
        return end > start ? (start, end) : null;
    }
}
