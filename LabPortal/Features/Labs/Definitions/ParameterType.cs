namespace LabPortal.Features.Labs.Definitions;

/// <summary>How a step parameter is entered and validated (docs/lab-format.md, "Parameter types").</summary>
public enum ParameterType
{
    Name,
    Text,
    Multiline,
    Port,
    Cidr,
    Az,
    Choice,
    InstanceType,
    Count,
}
