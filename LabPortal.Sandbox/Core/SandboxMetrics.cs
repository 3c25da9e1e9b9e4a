using System.Diagnostics.Metrics;

namespace LabPortal.Sandbox.Core;

/// <summary>
/// <see cref="System.Diagnostics.Metrics"/> instruments of the meter <c>LabPortal.Sandbox</c>: every
/// API call the sandbox answered, tagged with <c>aws.service</c>, <c>aws.action</c> and
/// <c>aws.account</c>. The cloud's own count of what callers asked of it, like a per-action line of
/// an AWS bill; it costs nothing while nobody listens.
/// </summary>
public sealed class SandboxMetrics : IDisposable
{
    /// <summary>The meter name to listen to (OpenTelemetry <c>AddMeter("LabPortal.Sandbox")</c>, or a <see cref="MeterListener"/>).</summary>
    public const string MeterName = "LabPortal.Sandbox";

    /// <summary>The name of the API call counter.</summary>
    public const string ApiCallsName = "labportal.sandbox.api.calls";

    private readonly Meter _meter;

    public SandboxMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        ApiCalls = _meter.CreateCounter<long>(ApiCallsName, description: "API calls the sandbox answered (success or AWS error), after authentication.");
    }

    /// <summary>API calls answered: one per authenticated request naming an action.</summary>
    public Counter<long> ApiCalls { get; }

    /// <summary>Counts one call.</summary>
    public void RecordCall(string service, string action, string accountId)
    {
        if (ApiCalls.Enabled)
        {
            ApiCalls.Add(1, new("aws.service", service), new("aws.action", action), new("aws.account", accountId));
        }
    }

    public void Dispose() => _meter.Dispose();
}
