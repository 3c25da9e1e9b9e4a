namespace LabPortal.Features.Labs.Definitions;

/// <summary>How a step parameter is entered and validated (docs/lab-format.md, "Parameter types").</summary>
public enum ParameterType
{
    Name,

    /// <summary>A <see cref="Name"/> that names a security group: AWS reserves <c>default</c> and the <c>sg-</c> prefix.</summary>
    SecurityGroupName,
    Text,
    Multiline,
    Port,
    Cidr,
    Az,
    Choice,
    InstanceType,
    Count,
}
