using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Portal.Instructors;

public sealed class CostEstimatorTests
{
    private static readonly DateTime T0 = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    // Round prices so each expected value below is worked out by hand.
    private static readonly PriceTable Prices = new(
        "test-region",
        new Dictionary<string, decimal> { ["t2.micro"] = 1m, ["t3.micro"] = 2m },
        LoadBalancerHourUsd: 10m,
        LcuHourUsd: 0.5m,
        AssumedLcusPerLoadBalancerHour: 1m,
        PublicIpv4HourUsd: 0.1m,
        PublicAddressesPerLoadBalancer: 2);

    [Fact]
    public void Instance_is_billed_for_its_life_with_its_public_address()
    {
        var estimate = CostEstimator.Estimate([Entry("Instance", T0, T0.AddHours(2))], "t3.micro", [], T0.AddHours(5), Prices);

        Assert.Equal(2m, estimate.Hours(CostItem.InstanceHours));
        Assert.Equal(4m, estimate.Usd(CostItem.InstanceHours));
        Assert.Equal(0.2m, estimate.Usd(CostItem.PublicIpv4Hours));
        Assert.Equal(4.2m, estimate.TotalUsd);
    }

    [Fact]
    public void Instance_that_lived_seconds_is_billed_the_one_minute_minimum()
    {
        var estimate = CostEstimator.Estimate([Entry("Instance", T0, T0.AddSeconds(10))], "t2.micro", [], T0.AddHours(1), Prices);

        Assert.Equal(60m / 3600m, estimate.Hours(CostItem.InstanceHours));
    }

    [Fact]
    public void Load_balancer_partial_hour_is_billed_whole_with_the_assumed_lcu_and_two_addresses()
    {
        var estimate = CostEstimator.Estimate([Entry("LoadBalancer", T0, T0.AddMinutes(90))], "t2.micro", [], T0.AddHours(3), Prices);

        Assert.Equal(2m, estimate.Hours(CostItem.LoadBalancerHours));
        Assert.Equal(20m, estimate.Usd(CostItem.LoadBalancerHours));
        Assert.Equal(1m, estimate.Usd(CostItem.LcuHours));
        // Two addresses for 1.5 hours at 0.1.
        Assert.Equal(0.3m, estimate.Usd(CostItem.PublicIpv4Hours));
        Assert.Equal(21.3m, estimate.TotalUsd);
    }

    [Fact]
    public void Resource_still_alive_counts_until_now()
    {
        var estimate = CostEstimator.Estimate([Entry("Instance", T0, null)], "t2.micro", [], T0.AddHours(3), Prices);

        Assert.Equal(3m, estimate.Hours(CostItem.InstanceHours));
    }

    [Fact]
    public void Resources_never_created_or_free_cost_nothing()
    {
        var intended = new LedgerEntry { Kind = ResourceKind.Instance, Name = "web", Region = "r", State = LedgerState.Intended, CreatedAtUtc = T0 };
        var deletedUntimed = new LedgerEntry { Kind = ResourceKind.Instance, Name = "web2", Region = "r", State = LedgerState.Deleted, CompletedAtUtc = T0, CreatedAtUtc = T0 };
        LedgerEntry[] free = [Entry("SecurityGroup", T0, null), Entry("TargetGroup", T0, null), Entry("Listener", T0, null), Entry("LaunchTemplate", T0, null)];

        var estimate = CostEstimator.Estimate([intended, deletedUntimed, .. free], "t2.micro", [], T0.AddHours(4), Prices);

        Assert.Equal(0m, estimate.TotalUsd);
    }

    [Fact]
    public void Group_instances_are_estimated_from_desired_capacity_over_the_groups_life()
    {
        // Created with 2, scaled to 4 after one hour, deleted two hours later: 2*1 + 4*2 = 10 instance-hours.
        var estimate = CostEstimator.Estimate([Entry("AutoScalingGroup", T0, T0.AddHours(3))], "t2.micro", [new CapacityChange(T0.AddHours(1), 4)], T0.AddHours(5), Prices);

        Assert.Equal(10m, estimate.Hours(CostItem.GroupInstanceHours));
        Assert.Equal(10m, estimate.Usd(CostItem.GroupInstanceHours));
        Assert.Equal(1m, estimate.Usd(CostItem.PublicIpv4Hours));
        Assert.Equal(0m, estimate.Hours(CostItem.InstanceHours));
    }

    [Fact]
    public void Capacity_changes_outside_the_groups_life_only_set_its_starting_capacity()
    {
        CapacityChange[] changes = [new(T0.AddHours(-1), 1), new(T0.AddHours(4), 9)];

        Assert.Equal(2m, CostEstimator.GroupInstanceHours(T0, T0.AddHours(2), changes));
        Assert.Equal(4m, CostEstimator.GroupInstanceHours(T0, T0.AddHours(2), []));
    }

    [Fact]
    public void Instance_type_without_a_price_is_named_and_left_out_of_the_total()
    {
        var estimate = CostEstimator.Estimate([Entry("Instance", T0, T0.AddHours(1)), Entry("LoadBalancer", T0, T0.AddHours(1))], "m7i.large", [], T0.AddHours(1), Prices);

        Assert.Equal("m7i.large", estimate.UnpricedInstanceType);
        Assert.DoesNotContain(estimate.Lines, l => l.Item == CostItem.InstanceHours);
        // 10 (ALB hour) + 0.5 (LCU) + 0.1 (instance address) + 0.2 (two ALB addresses).
        Assert.Equal(10.8m, estimate.TotalUsd);
    }

    [Fact]
    public void Seoul_table_prices_both_lab_instance_types_and_other_regions_have_none()
    {
        Assert.Same(PriceTable.Seoul, PriceTable.For("ap-northeast-2"));
        Assert.Null(PriceTable.For("us-east-1"));
        Assert.All(new[] { "t2.micro", "t3.micro" }, type => Assert.True(PriceTable.Seoul.InstanceHourUsd[type] > 0));
    }

    private static LedgerEntry Entry(string kind, DateTime completed, DateTime? deleted) => new()
    {
        Kind = Enum.Parse<ResourceKind>(kind),
        Name = kind,
        Region = "test-region",
        ResourceId = kind + "-id",
        State = deleted is null ? LedgerState.Created : LedgerState.Deleted,
        CreatedAtUtc = completed,
        CompletedAtUtc = completed,
        DeletedAtUtc = deleted,
    };
}
