using System.Linq.Expressions;
using Hangfire;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// For jobs that take a lease on their work before they start (a step run's, a teardown's). A delivery that finds
/// the lease taken may be a second delivery while the first runs (one node), or the delivery Hangfire hands to
/// another node when the node running the job died (<see cref="JobsOptions.NodeFailoverTimeout"/>): then nobody
/// would finish the work, because the dead execution's lease still runs. So the delivery comes back just after the
/// lease ends; by then the work is done (nothing to do) or free to resume from the ledger. Only with a storage several
/// processes share: on a single-process storage a live lease is always held by a live execution of this process (a
/// restart releases the dead one's first, see <see cref="JobServer"/>), and the come-back would only keep Hangfire busy.
/// </summary>
public static class LeasedJobs
{
    /// <summary>Schedules <paramref name="job"/> to run again one second after <paramref name="leaseUntilUtc"/>.</summary>
    public static void ComeBackAfterLease<T>(this IBackgroundJobClient jobs, Expression<Func<T, Task>> job, DateTime leaseUntilUtc, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var after = DateTime.SpecifyKind(leaseUntilUtc, DateTimeKind.Utc) - time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1);
        jobs.Schedule(job, after > TimeSpan.FromSeconds(1) ? after : TimeSpan.FromSeconds(1));
    }
}
