namespace LabPortal.Sandbox.State;

/// <summary>
/// One service's state for one account in one region: a plain mutable class that
/// System.Text.Json round-trips (public get/set properties). It is persisted as one JSON row
/// after each call that opened it with <see cref="AccountScope.Write{T}"/>.
/// </summary>
public interface IRegionState
{
    /// <summary>Resources the learner created that still exist (defaults excluded), for "leave nothing behind" scans.</summary>
    IEnumerable<SandboxResource> ListResources();
}
