namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// The Hangfire job whose execution this scope serves (set by <see cref="CurrentJobActivator"/> as the job's scope
/// begins); <c>null</c> in a scope no job began, such as a web request's.
/// </summary>
public sealed class CurrentJob
{
    public string? Id { get; internal set; }
}
