using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.Instructors;

/// <summary>One ledger entry beside what the cloud says of it; <see cref="LiveState"/> is null when the cloud has no such resource or was not asked.</summary>
public sealed record LedgerComparison(LedgerEntry Entry, string? LiveState, Drift Drift);
