using System.ComponentModel.DataAnnotations;

namespace LabPortal.Infrastructure.Live;

/// <summary>Live changes across nodes (used only when the portal's database is PostgreSQL).</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>The LISTEN/NOTIFY channel every node of one portal shares.</summary>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string Channel { get; set; } = "labportal_live";

    /// <summary>How long the listening connection waits before it reconnects after a drop.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a node tries to take the poller lease of a run it watches but another node polls.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan LeaseRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an idle listening connection waits before it checks the server is still there.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);
}
