namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>The instances one RunInstances call launched.</summary>
public sealed record Ec2Reservation(string ReservationId, IReadOnlyList<Ec2Instance> Instances);
