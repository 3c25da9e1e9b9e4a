namespace LabPortal.Features.Instructors;

/// <summary>
/// On-demand prices in USD for what the labs create, for one region. Documented in
/// docs/cost-estimate.md, which gives each number's source and date.
/// </summary>
public sealed record PriceTable(
    string Region,
    IReadOnlyDictionary<string, decimal> InstanceHourUsd,
    decimal LoadBalancerHourUsd,
    decimal LcuHourUsd,
    decimal AssumedLcusPerLoadBalancerHour,
    decimal PublicIpv4HourUsd,
    int PublicAddressesPerLoadBalancer)
{
    /// <summary>
    /// Asia Pacific (Seoul), Linux, shared tenancy, looked up on 2026-11-22:
    /// t2.micro 0.0144 USD/h: AWS Price List API output for ap-northeast-2 quoted in the
    /// guan840912/ec2-pricing-provider README. t3.micro 0.0130 USD/h: AWS's EC2 on-demand pricing
    /// page for Seoul; no second source was at hand to confirm it (re-check before trusting cents).
    /// ALB 0.0225 USD per ALB-hour: a Seoul Cost Explorer line of April 2026 (APN2-LoadBalancerUsage,
    /// 11.57 USD for 514 h); one 2026-08 table says 0.025, so the figure may have moved.
    /// LCU 0.008 USD per LCU-hour (APN2-LCUUsage, same 2026-08 table). Public IPv4 0.005 USD per
    /// address-hour (APN2-PublicIPv4:InUseAddress, 7.08 USD for 1416 h in the same April 2026 bill;
    /// AWS's price for every region since February 2024).
    /// </summary>
    public static readonly PriceTable Seoul = new(
        "ap-northeast-2",
        new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["t2.micro"] = 0.0144m,
            ["t3.micro"] = 0.0130m,
        },
        LoadBalancerHourUsd: 0.0225m,
        LcuHourUsd: 0.008m,
        // A lab's traffic (a live panel at about one request a second) stays far below one LCU
        // (25 new connections/s, 3,000 active connections, 1 GB/h, 1,000 rule evaluations/s), so one
        // LCU-hour per ALB-hour is an upper bound: it errs high by at most 0.008 USD an hour.
        AssumedLcusPerLoadBalancerHour: 1m,
        PublicIpv4HourUsd: 0.005m,
        // An internet-facing ALB has one public address per Availability Zone; the labs use two.
        PublicAddressesPerLoadBalancer: 2);

    /// <summary>The table for a region, or null when the portal has none (the estimate says so).</summary>
    public static PriceTable? For(string region) => string.Equals(region, Seoul.Region, StringComparison.Ordinal) ? Seoul : null;
}
