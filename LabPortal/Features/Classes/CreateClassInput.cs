namespace LabPortal.Features.Classes;

public sealed class CreateClassInput
{
    public string? Name { get; set; }

    public string? JoinCode { get; set; }
}
