using LabPortal.Features.Instructors;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Portal.Instructors;

public sealed class LiveStateCompareTests
{
    [Theory]
    [InlineData("Instance", LedgerState.Created, "running", Drift.None)]
    [InlineData("Instance", LedgerState.Created, "stopped", Drift.StateDiffers)]
    [InlineData("Instance", LedgerState.Created, null, Drift.GoneFromCloud)]
    [InlineData("Instance", LedgerState.Deleted, "running", Drift.StillInCloud)]
    [InlineData("Instance", LedgerState.Deleted, null, Drift.None)]
    [InlineData("LoadBalancer", LedgerState.Created, "failed", Drift.StateDiffers)]
    [InlineData("LoadBalancer", LedgerState.Created, "active", Drift.None)]
    [InlineData("AutoScalingGroup", LedgerState.Created, "Delete in progress", Drift.StateDiffers)]
    [InlineData("SecurityGroup", LedgerState.Created, "exists", Drift.None)]
    public void Drift_follows_the_ledger_state_and_the_live_state(string kind, LedgerState state, string? live, Drift expected)
    {
        var entry = new LedgerEntry { Id = 7, Kind = Enum.Parse<ResourceKind>(kind), Name = "x", ResourceId = "id-7", Region = "r", State = state };

        var compared = LiveStateReader.Compare(entry, new Dictionary<int, string?> { [7] = live });

        Assert.Equal(expected, compared.Drift);
    }

    [Fact]
    public void Entry_never_created_or_not_asked_is_not_checked()
    {
        var intended = new LedgerEntry { Id = 1, Kind = ResourceKind.Instance, Name = "x", Region = "r", State = LedgerState.Intended };
        var notAsked = new LedgerEntry { Id = 2, Kind = ResourceKind.Instance, Name = "y", ResourceId = "i-1", Region = "r", State = LedgerState.Created };

        Assert.Equal(Drift.NotChecked, LiveStateReader.Compare(intended, new Dictionary<int, string?> { [1] = null }).Drift);
        Assert.Equal(Drift.NotChecked, LiveStateReader.Compare(notAsked, new Dictionary<int, string?>()).Drift);
    }
}
