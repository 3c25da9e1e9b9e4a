using System.Diagnostics.Metrics;

namespace LabPortal.Aws.Core;

/// <summary>
/// <see cref="System.Diagnostics.Metrics"/> instruments of the meter <c>LabPortal.Aws</c>: calls,
/// errors, throttles (counters) and call duration in milliseconds (histogram), tagged with
/// <c>aws.service</c>, <c>aws.action</c> and, for errors, <c>aws.error_code</c>.
/// </summary>
public sealed class AwsMetrics : IDisposable
{
    /// <summary>The meter name to listen to (OpenTelemetry <c>AddMeter("LabPortal.Aws")</c>).</summary>
    public const string MeterName = "LabPortal.Aws";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/> or a new meter.</summary>
    /// <param name="meterFactory">The DI meter factory, or null.</param>
    public AwsMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Calls = _meter.CreateCounter<long>("labportal.aws.calls", description: "AWS API calls made (one per call, not per attempt).");
        Errors = _meter.CreateCounter<long>("labportal.aws.errors", description: "AWS API calls that ended in an error.");
        Throttles = _meter.CreateCounter<long>("labportal.aws.throttles", description: "Attempts answered with a throttling error.");
        Duration = _meter.CreateHistogram<double>("labportal.aws.duration", unit: "ms", description: "Duration of AWS API calls including retries.");
    }

    /// <summary>Calls made.</summary>
    public Counter<long> Calls { get; }

    /// <summary>Calls that failed.</summary>
    public Counter<long> Errors { get; }

    /// <summary>Throttled attempts.</summary>
    public Counter<long> Throttles { get; }

    /// <summary>Call latency in milliseconds.</summary>
    public Histogram<double> Duration { get; }

    /// <summary>Disposes the meter.</summary>
    public void Dispose() => _meter.Dispose();
}
