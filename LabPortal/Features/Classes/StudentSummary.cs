namespace LabPortal.Features.Classes;

public sealed record StudentSummary(int UserId, string DisplayName, DateTime JoinedAtUtc);
