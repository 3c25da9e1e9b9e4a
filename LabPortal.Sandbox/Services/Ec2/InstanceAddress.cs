namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>Which account's instance, in which region, holds a public address.</summary>
public sealed record InstanceAddress(string AccountId, string Region, string InstanceId);
