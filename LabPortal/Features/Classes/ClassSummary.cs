namespace LabPortal.Features.Classes;

public sealed record ClassSummary(int Id, string Name, string JoinCode, int StudentCount, DateTime CreatedAtUtc);
