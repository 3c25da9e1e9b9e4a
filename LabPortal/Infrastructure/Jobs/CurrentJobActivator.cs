using Hangfire;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// The portal's job activator (<paramref name="inner"/>, a scope of the host's container per execution) that also tells
/// the scope which job it runs (<see cref="CurrentJob"/>): a job that takes a lease records itself as its holder.
/// </summary>
public sealed class CurrentJobActivator(JobActivator inner) : JobActivator
{
    public override object ActivateJob(Type jobType) => inner.ActivateJob(jobType);

    public override JobActivatorScope BeginScope(JobActivatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = inner.BeginScope(context);
        ((CurrentJob)scope.Resolve(typeof(CurrentJob))).Id = context.BackgroundJob.Id;
        return scope;
    }
}
