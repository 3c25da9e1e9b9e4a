using System.ComponentModel.DataAnnotations;

namespace LabPortal.Infrastructure;

/// <summary>Portal-wide settings, section <c>Portal</c>.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Folder for the database, the job store, Data Protection keys and the sandbox; relative paths start at the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Log lines as JSON objects (for log shippers) instead of plain text.</summary>
    public bool JsonLogs { get; set; } = true;
}
