using System.Collections.Concurrent;

namespace LabPortal.Features.LabRuns.Drill;

/// <summary>
/// When the portal first saw a target in a state during a drill. DescribeTargetHealth has no
/// timestamps, so the timeline keeps its own first sightings. Kept in memory: after a restart the
/// states are seen again (later), and on several nodes each keeps its own.
/// </summary>
public sealed class DrillObservations
{
    private readonly ConcurrentDictionary<(int RunId, string InstanceId, string State), DateTimeOffset> _firstSeen = new();

    public DateTimeOffset FirstSeen(int runId, string instanceId, string state, DateTimeOffset now) =>
        _firstSeen.GetOrAdd((runId, instanceId, state), now);

    public DateTimeOffset? Seen(int runId, string instanceId, string state) =>
        _firstSeen.TryGetValue((runId, instanceId, state), out var at) ? at : null;
}
