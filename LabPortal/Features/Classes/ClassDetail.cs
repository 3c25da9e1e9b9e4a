namespace LabPortal.Features.Classes;

public sealed record ClassDetail(int Id, string Name, string JoinCode, DateTime CreatedAtUtc, IReadOnlyList<StudentSummary> Students);
