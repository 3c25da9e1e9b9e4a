using System.Linq.Expressions;
using Hangfire;
using Hangfire.States;

namespace LabPortal.Infrastructure.Jobs;

/// <summary>
/// For jobs that take a lease on their work before they start (a step run's, a teardown's), recording the Hangfire job
/// that holds it (<see cref="Holder"/>). A delivery that finds the lease taken is one of two things. A duplicate
/// delivery (the job enqueued twice) while the holder works: the holder finishes the work or releases the lease
/// (its own retry or continuation carries on), and if its node dies Hangfire hands the holder's own job out again
/// (<see cref="JobsOptions.NodeFailoverTimeout"/>), so this delivery simply ends. Or that very job handed out again
/// after its node died: then nobody would finish the work, because the dead execution's lease still runs, so the
/// delivery comes back just after the lease ends; by then the work is free to resume from the ledger. A holder that is
/// unknown (a lease taken outside a job) or whose job is no longer processing (it ended without giving the lease back)
/// is treated as dead too. Only with a storage several processes share: on a single-process storage a live lease is
/// always held by a live execution of this process (a restart releases the dead one's first, see <see cref="JobServer"/>).
/// </summary>
public sealed class LeasedJobs(CurrentJob currentJob, JobStorage storage, JobStorageInfo storageInfo, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>What a claim records as the lease's holder: the job this execution belongs to (null outside a job).</summary>
    public string? Holder => currentJob.Id;

    /// <summary>
    /// This delivery found the lease held by <paramref name="holder"/> until <paramref name="leaseUntilUtc"/>: schedules
    /// <paramref name="job"/> to run again one second after the lease unless the holder still works (see the class).
    /// Returns whether it did.
    /// </summary>
    public bool ComeBackUnlessHolderWorks<T>(Expression<Func<T, Task>> job, DateTime leaseUntilUtc, string? holder)
    {
        if (storageInfo.SingleProcess || HolderWorks(holder))
        {
            return false;
        }

        var after = DateTime.SpecifyKind(leaseUntilUtc, DateTimeKind.Utc) - time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1);
        jobs.Schedule(job, after > TimeSpan.FromSeconds(1) ? after : TimeSpan.FromSeconds(1));
        return true;
    }

    /// <summary>True when another job holds the lease and Hangfire still has it processing (on a live node, or due to be handed out again).</summary>
    private bool HolderWorks(string? holder)
    {
        if (holder is null || holder == currentJob.Id)
        {
            return false;
        }

        using var connection = storage.GetConnection();
        return connection.GetStateData(holder)?.Name == ProcessingState.StateName;
    }
}
