namespace LabPortal.Sandbox.Accounts;

/// <summary>A learner's sandbox account: a 12-digit id and its own SigV4 key pair.</summary>
public sealed record SandboxAccount(string AccountId, string AccessKeyId, string SecretAccessKey)
{
    public string Label { get; init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>True for the built-in <c>test</c>/<c>test</c> account.</summary>
    public bool IsPlayground { get; init; }

    /// <summary>For temporary credentials from STS AssumeRole: the token every call must carry (<c>X-Amz-Security-Token</c>).</summary>
    public string? SessionToken { get; init; }

    /// <summary>For temporary credentials: when they stop working.</summary>
    public DateTimeOffset? SessionExpiresAt { get; init; }
}
