using System.ComponentModel.DataAnnotations;
using LabPortal.Sandbox.Admin;
using LabPortal.Sandbox.Core;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// The portal's side of section <c>Sandbox</c> when the sandbox runs as its own process, shared by several
/// portal nodes: <c>Sandbox:Enabled=false</c> with <see cref="ApiUrl"/> set. The rest of the section is the
/// embedded sandbox's (<see cref="SandboxOptions"/>).
/// </summary>
public sealed class ExternalSandboxOptions : IValidatableObject
{
    /// <summary>False: this portal hosts no sandbox; with <see cref="ApiUrl"/> it uses the standalone one.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The standalone sandbox's API endpoint (<c>http://sandbox-host:4566</c>): AWS calls and its admin API.</summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>Its data plane (<c>http://localhost:8080</c>): only the port is used in the addresses students open (<c>*.localhost</c> names).</summary>
    public Uri? DataPlaneUrl { get; set; }

    /// <summary>The key the standalone sandbox's admin API asks for (the same <c>Sandbox:AdminKey</c> as the sandbox's).</summary>
    public string? AdminKey { get; set; }

    /// <summary>How long one admin call may take before the sandbox counts as unreachable.</summary>
    public TimeSpan AdminTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when this portal uses a standalone sandbox.</summary>
    public bool IsExternal => !Enabled && ApiUrl is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsExternal)
        {
            yield break;
        }

        if (!ApiUrl!.IsAbsoluteUri || ApiUrl.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"Sandbox:ApiUrl '{ApiUrl}' must be an absolute http(s) URL.", [nameof(ApiUrl)]);
        }

        if (DataPlaneUrl is null || !DataPlaneUrl.IsAbsoluteUri)
        {
            yield return new ValidationResult("Sandbox:DataPlaneUrl must be set (e.g. http://localhost:8080) when Sandbox:ApiUrl names a standalone sandbox.", [nameof(DataPlaneUrl)]);
        }

        if (string.IsNullOrWhiteSpace(AdminKey) || AdminKey.Trim().Length < SandboxAdminApi.MinimumKeyLength)
        {
            yield return new ValidationResult($"Sandbox:AdminKey must be set (at least {SandboxAdminApi.MinimumKeyLength} characters, the standalone sandbox's own) when Sandbox:ApiUrl names a standalone sandbox.", [nameof(AdminKey)]);
        }
    }
}
