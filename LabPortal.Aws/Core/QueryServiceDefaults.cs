using Amazon.Runtime;

namespace LabPortal.Aws.Core;

/// <summary>
/// The defaults-mode table (<c>AWS_DEFAULTS_MODE</c>) of the generated clients' configurations. Every
/// mode uses the standard retry mode; no mode sets timeouts, because the portal's factory sets the
/// per-attempt timeout itself for all four clients.
/// </summary>
public static class QueryServiceDefaults
{
    /// <summary>One entry per defaults mode, as AWSSDK.Core's <c>DefaultConfigurationProvider</c> expects.</summary>
    public static IReadOnlyList<IDefaultConfiguration> All { get; } =
    [
        .. new[] { DefaultConfigurationMode.Standard, DefaultConfigurationMode.InRegion, DefaultConfigurationMode.CrossRegion, DefaultConfigurationMode.Mobile, DefaultConfigurationMode.Auto }
            .Select(mode => new DefaultConfiguration { Name = mode, RetryMode = RequestRetryMode.Standard }),
    ];
}
