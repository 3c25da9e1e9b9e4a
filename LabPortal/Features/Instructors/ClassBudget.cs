using LabPortal.Features.Labs.Definitions;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Instructors;

/// <summary>One student's estimated AWS cost (every run, from the ledger) against the class budget.</summary>
public sealed record LearnerBudget(int UserId, string DisplayName, decimal EstimatedUsd, decimal? BudgetUsd)
{
    /// <summary>True once the estimate passes the budget: the dashboard warns the instructor.</summary>
    public bool OverBudget => BudgetUsd is { } budget && EstimatedUsd > budget;
}

/// <summary>
/// The class budget (issue 17, guardrails): each student's running cost estimate, the sum of their runs'
/// <see cref="InstructorService.Estimate"/>, against the budget the instructor set on the guardrails page.
/// Data only; the dashboard shows it.
/// </summary>
public sealed class ClassBudget(PortalDbContext db, InstructorService instructors, LabCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<LearnerBudget>> ForClassAsync(int classId, CancellationToken cancellationToken = default)
    {
        var budget = await db.ClassGuardrails.Where(g => g.ClassroomId == classId).Select(g => g.BudgetUsd).FirstOrDefaultAsync(cancellationToken);
        var students = await db.ClassMemberships
            .Where(m => m.ClassroomId == classId && m.Role == UserRole.Student)
            .Select(m => new { m.UserId, m.User.DisplayName })
            .ToListAsync(cancellationToken);
        var ids = students.Select(s => s.UserId).ToList();
        var runs = await db.LabRuns.AsNoTracking()
            .Where(r => ids.Contains(r.UserId))
            .Include(r => r.Ledger)
            .Include(r => r.Steps)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return [.. students
            .Select(s => new LearnerBudget(
                s.UserId,
                s.DisplayName,
                runs.Where(r => r.UserId == s.UserId).Sum(r => instructors.Estimate(r, catalog.Find(r.LabId), now)?.TotalUsd ?? 0m),
                budget))
            .OrderByDescending(b => b.EstimatedUsd)
            .ThenBy(b => b.DisplayName, StringComparer.Ordinal)];
    }

    /// <summary>The students past the budget (empty when the class has none): what the dashboard warns about.</summary>
    public async Task<IReadOnlyList<LearnerBudget>> OverBudgetAsync(int classId, CancellationToken cancellationToken = default) =>
        // The dashboard asks on every change in the class: without a budget, nobody can be past it.
        await db.ClassGuardrails.AnyAsync(g => g.ClassroomId == classId && g.BudgetUsd != null, cancellationToken)
            ? [.. (await ForClassAsync(classId, cancellationToken)).Where(b => b.OverBudget)]
            : [];
}
