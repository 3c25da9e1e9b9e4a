namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// A RunInstances client token: the reservation it produced and a fingerprint of the request, so a
/// retry returns the same instances and a different request with the same token fails
/// (EC2 user guide, "Ensure idempotency": <c>IdempotentParameterMismatch</c>).
/// </summary>
public sealed class Ec2ClientToken
{
    public string ReservationId { get; set; } = string.Empty;

    public string Fingerprint { get; set; } = string.Empty;
}
