using LabPortal.Features.Cleanup;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Scopes;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Instructors;

/// <summary>
/// What the interactive instructor pages do, for the signed-in user: every call checks that the user
/// is one of the class's instructors (a circuit action from anyone else changes nothing and reads
/// nothing) and takes its services for that call only (<see cref="Scoped{TService}"/>: a circuit must not hold a
/// DbContext for hours).
/// </summary>
public sealed class InstructorDesk(Scoped<InstructorService> instructorServices, Scoped<ClassBudget> budgets, Scoped<ResetService> resets, Scoped<PortalDbContext> databases)
{
    public async Task<(ClassAccess Access, ClassDashboard? Dashboard)> DashboardAsync(int userId, int classId, CancellationToken cancellationToken = default)
    {
        await using var lease = instructorServices.Begin();
        var instructors = lease.Service;
        var access = await instructors.CheckAsync(classId, userId, cancellationToken);
        return access == ClassAccess.Allowed ? (access, await instructors.GetDashboardAsync(classId, cancellationToken)) : (access, null);
    }

    /// <summary>The parts of the dashboard that changed with these runs (empty for anyone but the class's instructors).</summary>
    public async Task<IReadOnlyList<LearnerUpdate>> LearnerUpdatesAsync(int userId, int classId, IReadOnlyCollection<int> runIds, CancellationToken cancellationToken = default)
    {
        await using var lease = instructorServices.Begin();
        var instructors = lease.Service;
        return await instructors.CheckAsync(classId, userId, cancellationToken) == ClassAccess.Allowed
            ? await instructors.GetLearnerUpdatesAsync(classId, runIds, cancellationToken)
            : [];
    }

    /// <summary>The class's students past its budget (empty without a budget, or for anyone but its instructors).</summary>
    public async Task<IReadOnlyList<LearnerBudget>> OverBudgetAsync(int userId, int classId, CancellationToken cancellationToken = default)
    {
        await using var lease = instructorServices.Begin();
        var instructors = lease.Service;
        return await instructors.CheckAsync(classId, userId, cancellationToken) == ClassAccess.Allowed
            ? await OverBudgetOfAsync(classId, cancellationToken)
            : [];
    }

    /// <summary>One learner of the class; Allowed with a null detail when the user is not one of its students.</summary>
    public async Task<(ClassAccess Access, LearnerDetail? Learner)> LearnerAsync(int userId, int classId, int learnerId, CancellationToken cancellationToken = default)
    {
        await using var lease = instructorServices.Begin();
        var instructors = lease.Service;
        var access = await instructors.CheckAsync(classId, userId, cancellationToken);
        return access == ClassAccess.Allowed ? (access, await instructors.GetLearnerAsync(classId, learnerId, cancellationToken)) : (access, null);
    }

    /// <summary>Tears down every live run of one learner (<see cref="ResetService"/> checks the caller).</summary>
    public async Task<(ResetResult Result, int Runs)> ResetLearnerAsync(int userId, int classId, int learnerId, CancellationToken cancellationToken = default)
    {
        await using var reset = resets.Begin();
        return await reset.Service.ResetLearnerAsync(classId, userId, learnerId, cancellationToken);
    }

    /// <summary>Tears down every live run of the class's learners (<see cref="ResetService"/> checks the caller).</summary>
    public async Task<(ResetResult Result, int Runs)> ResetClassAsync(int userId, int classId, CancellationToken cancellationToken = default)
    {
        await using var reset = resets.Begin();
        return await reset.Service.ResetClassAsync(classId, userId, cancellationToken);
    }

    /// <summary>
    /// Whether a run belongs to one of the class's students (a dashboard learns of a new run by its id only,
    /// and the student may have joined after the dashboard was opened).
    /// </summary>
    public async Task<bool> IsRunOfClassAsync(int runId, int classId, CancellationToken cancellationToken = default)
    {
        await using var lease = databases.Begin();
        var db = lease.Service;
        return await db.LabRuns.Where(r => r.Id == runId)
            .AnyAsync(r => db.ClassMemberships.Any(m => m.ClassroomId == classId && m.UserId == r.UserId && m.Role == UserRole.Student), cancellationToken);
    }

    private async Task<IReadOnlyList<LearnerBudget>> OverBudgetOfAsync(int classId, CancellationToken cancellationToken)
    {
        await using var budget = budgets.Begin();
        return await budget.Service.OverBudgetAsync(classId, cancellationToken);
    }
}
