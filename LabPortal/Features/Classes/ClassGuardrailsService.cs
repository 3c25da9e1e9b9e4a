using System.Globalization;
using System.Text.RegularExpressions;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Forms;
using LabPortal.Infrastructure.Guardrails;
using LabPortal.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Features.Classes;

/// <summary>
/// A class's money guardrails (issue 17), for its instructors: read them (the defaults until saved) and save
/// them, validated the way AWS names types and regions. Saving applies them at once to every member's
/// sandbox account as its quotas.
/// </summary>
public sealed partial class ClassGuardrailsService(PortalDbContext db, GuardrailReader reader, TimeProvider time)
{
    /// <summary>The most a class may allow (the sandbox's and a new AWS account's regional limits are of this order).</summary>
    public const int MostInstances = 20;

    public const int MostLoadBalancers = 20;

    /// <summary>The class's name and guardrails, or null when the user is not one of its instructors.</summary>
    public async Task<(string ClassName, ClassGuardrailsInput Input)?> GetAsync(int classId, int instructorId, CancellationToken cancellationToken = default)
    {
        var name = await InstructedClassNameAsync(classId, instructorId, cancellationToken);
        if (name is null)
        {
            return null;
        }

        var saved = await db.ClassGuardrails.AsNoTracking().SingleOrDefaultAsync(g => g.ClassroomId == classId, cancellationToken) ?? ClassGuardrails.Default(classId);
        return (name, new ClassGuardrailsInput
        {
            AllowedInstanceTypes = string.Join(", ", LearnerGuardrails.ParseList(saved.AllowedInstanceTypes)),
            MaxInstancesPerLearner = saved.MaxInstancesPerLearner,
            MaxLoadBalancersPerLearner = saved.MaxLoadBalancersPerLearner,
            LabRegions = string.Join(", ", LearnerGuardrails.ParseList(saved.LabRegions)),
            BudgetUsd = saved.BudgetUsd,
        });
    }

    /// <summary>Validates and saves; field errors keyed by the input's property names. Null value when the user is not an instructor of the class.</summary>
    public async Task<FormResult<bool>> SaveAsync(int classId, int instructorId, ClassGuardrailsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await InstructedClassNameAsync(classId, instructorId, cancellationToken) is null)
        {
            return FormResult.Invalid<bool>(new() { [""] = L.T("This class does not exist or you are not one of its instructors.", "이 수업이 없거나 이 수업의 강사가 아닙니다.") });
        }

        var errors = Validate(input, out var types, out var regions);
        if (errors.Count > 0)
        {
            return FormResult.Invalid<bool>(errors);
        }

        var row = await db.ClassGuardrails.SingleOrDefaultAsync(g => g.ClassroomId == classId, cancellationToken);
        if (row is null)
        {
            row = ClassGuardrails.Default(classId);
            db.ClassGuardrails.Add(row);
        }

        row.AllowedInstanceTypes = string.Join(',', types);
        row.MaxInstancesPerLearner = input.MaxInstancesPerLearner;
        row.MaxLoadBalancersPerLearner = input.MaxLoadBalancersPerLearner;
        row.LabRegions = string.Join(',', regions);
        row.BudgetUsd = input.BudgetUsd;
        row.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await reader.ApplyToClassAsync(classId, cancellationToken);
        return FormResult.Ok(true);
    }

    public static Dictionary<string, string> Validate(ClassGuardrailsInput input, out IReadOnlyList<string> types, out IReadOnlyList<string> regions)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string>();
        types = LearnerGuardrails.ParseList(input.AllowedInstanceTypes);
        regions = LearnerGuardrails.ParseList(input.LabRegions);
        if (types.Count == 0 || types.Any(t => !InstanceTypeRegex().IsMatch(t)) || input.AllowedInstanceTypes.Length > 500)
        {
            errors[nameof(ClassGuardrailsInput.AllowedInstanceTypes)] = L.T(
                "List one or more instance types separated by commas, as AWS writes them (t2.micro, t3.micro).",
                "인스턴스 유형을 AWS 표기대로 쉼표로 구분해 하나 이상 적으세요(t2.micro, t3.micro).");
        }

        if (input.MaxInstancesPerLearner is < 1 or > MostInstances)
        {
            errors[nameof(ClassGuardrailsInput.MaxInstancesPerLearner)] = L.T(
                $"Choose from 1 to {MostInstances}.", $"1부터 {MostInstances}까지 고르세요.");
        }

        if (input.MaxLoadBalancersPerLearner is < 0 or > MostLoadBalancers)
        {
            errors[nameof(ClassGuardrailsInput.MaxLoadBalancersPerLearner)] = L.T(
                $"Choose from 0 to {MostLoadBalancers}.", $"0부터 {MostLoadBalancers}까지 고르세요.");
        }

        if (regions.Count == 0 || regions.Any(r => !RegionRegex().IsMatch(r)) || input.LabRegions.Length > 500)
        {
            errors[nameof(ClassGuardrailsInput.LabRegions)] = L.T(
                "List one or more AWS regions separated by commas (ap-northeast-2).",
                "AWS 리전을 쉼표로 구분해 하나 이상 적으세요(ap-northeast-2).");
        }

        if (input.BudgetUsd is < 0 or > 100_000)
        {
            errors[nameof(ClassGuardrailsInput.BudgetUsd)] = L.T(
                "Leave the budget empty, or give an amount from 0 to 100000 US dollars.",
                "예산은 비워 두거나 0부터 100000 미국 달러 사이로 적으세요.");
        }

        return errors;
    }

    /// <summary>
    /// With an account pool: which student holds which AWS account now (the instructor's view of the pool). Null
    /// when the user is not one of the class's instructors.
    /// </summary>
    public async Task<IReadOnlyList<PoolAssignment>?> PoolAssignmentsAsync(int classId, int instructorId, CancellationToken cancellationToken = default)
    {
        if (await InstructedClassNameAsync(classId, instructorId, cancellationToken) is null)
        {
            return null;
        }

        var students = db.ClassMemberships.Where(m => m.ClassroomId == classId && m.Role == UserRole.Student).Select(m => m.UserId);
        return await db.CloudAccounts
            .Where(a => a.Provider == CloudProvider.AwsAccountPool && a.DeletedAtUtc == null && students.Contains(a.UserId))
            .OrderBy(a => a.User.DisplayName)
            .Select(a => new PoolAssignment(a.UserId, a.User.DisplayName, a.AccountId, a.RoleArn ?? "", a.CreatedAtUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>A budget as the page shows it.</summary>
    public static string Usd(decimal? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "";

    private Task<string?> InstructedClassNameAsync(int classId, int instructorId, CancellationToken cancellationToken) =>
        db.Classrooms
            .Where(c => c.Id == classId && c.Memberships.Any(m => m.UserId == instructorId && m.Role == UserRole.Instructor))
            .Select(c => c.Name)
            .SingleOrDefaultAsync(cancellationToken);

    // EC2 instance type names: family and generation, a dot, a size (t2.micro, m7g.large, u-6tb1.metal).
    [GeneratedRegex(@"^[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex InstanceTypeRegex();

    // Region names: ap-northeast-2, us-gov-west-1, eu-central-1.
    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")]
    private static partial Regex RegionRegex();
}
