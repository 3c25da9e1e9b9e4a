using System.ComponentModel.DataAnnotations;
using System.Net;

namespace LabPortal.Sandbox.Core;

/// <summary>Settings of the local AWS-compatible cloud, bound from the <c>Sandbox</c> configuration section.</summary>
public sealed class SandboxOptions : IValidatableObject
{
    public const string SectionName = "Sandbox";

    /// <summary>When false nothing is started (the portal then talks to real AWS).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The one API port for every service (ARCHITECTURE.md: <c>http://localhost:4566</c>); 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int ApiPort { get; set; } = 4566;

    /// <summary>The data plane front: port 80 of every load balancer and instance, routed by Host header; 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int DataPlanePort { get; set; } = 8080;

    /// <summary>Divides every AWS duration (boot, provisioning, health-check interval ...); the API still reports AWS's numbers.</summary>
    [Range(0.001, 1_000_000)]
    public double TimeScale { get; set; } = 10;

    /// <summary>Enables the built-in playground account with access key <c>test</c> and secret <c>test</c>.</summary>
    public bool AllowPlaygroundCredentials { get; set; }

    /// <summary>
    /// Applies AWS's API token buckets per account and Region (EC2 <c>RequestLimitExceeded</c>,
    /// ELB/Auto Scaling <c>Throttling</c>). Off by default so bursts in tests and scripts pass;
    /// turn it on to exercise clients' retry and polling budgets.
    /// </summary>
    public bool EnforceRateLimits { get; set; }

    /// <summary>
    /// When set, the longest an STS <c>AssumeRole</c> session lasts, whatever <c>DurationSeconds</c> asked for
    /// (AWS's 900 s minimum is still what the request must give). The <c>Expiration</c> answered is the real
    /// one, so a caller renews in time; unset, sessions last as long as asked, as on AWS. For tests that
    /// cross a session's expiry without waiting a quarter of an hour.
    /// </summary>
    public TimeSpan? MaxSessionLifetime { get; set; }

    /// <summary>
    /// The shared key of the admin API (<c>/_sandbox/admin/...</c> on the API port), which portal nodes use to
    /// create and drop learner accounts in a standalone sandbox. Unset (the default): the admin API refuses
    /// every call. At least 16 characters; never logged.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>Folder of the sandbox's own SQLite file (control-plane state and accounts).</summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data/sandbox";

    /// <summary>Address the API and data-plane servers listen on: an IP address, <c>localhost</c> or <c>*</c>.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BindAddress is not ("localhost" or "*") && !IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult($"Sandbox:BindAddress '{BindAddress}' is not an IP address, 'localhost' or '*'.", [nameof(BindAddress)]);
        }

        if (!string.IsNullOrEmpty(AdminKey) && AdminKey.Trim().Length < Admin.SandboxAdminApi.MinimumKeyLength)
        {
            yield return new ValidationResult($"Sandbox:AdminKey must have at least {Admin.SandboxAdminApi.MinimumKeyLength} characters (a long random string shared with the portal nodes).", [nameof(AdminKey)]);
        }

        if (MaxSessionLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Sandbox:MaxSessionLifetime must be positive when set.", [nameof(MaxSessionLifetime)]);
        }

        if (Enabled && ApiPort != 0 && ApiPort == DataPlanePort)
        {
            yield return new ValidationResult("Sandbox:ApiPort and Sandbox:DataPlanePort must differ.", [nameof(ApiPort), nameof(DataPlanePort)]);
        }
    }

    /// <summary>A copy, so a caller's later edits cannot change a running sandbox.</summary>
    public SandboxOptions Clone() => (SandboxOptions)MemberwiseClone();
}
