namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>A key pair; the sandbox keeps only the public half, as EC2 does.</summary>
public sealed class Ec2KeyPair
{
    public string KeyPairId { get; set; } = string.Empty;

    public string KeyName { get; set; } = string.Empty;

    public string KeyType { get; set; } = "rsa";

    public string Fingerprint { get; set; } = string.Empty;

    public string PublicKey { get; set; } = string.Empty;

    public DateTimeOffset CreateTime { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];
}
