using LabPortal.Infrastructure.Data;

namespace LabPortal.Tests.Support;

/// <summary>An account in the previous release's database (<see cref="PreviousReleaseDatabase"/>) and the password it was created with.</summary>
public sealed record PreviousReleaseAccount(string UserName, string DisplayName, string Password, UserRole Role);
