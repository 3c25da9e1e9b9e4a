namespace LabPortal.Features.Classes;

public sealed class JoinClassInput
{
    public string? JoinCode { get; set; }

    public string? DisplayName { get; set; }

    public string? Password { get; set; }

    public string? ConfirmPassword { get; set; }
}
