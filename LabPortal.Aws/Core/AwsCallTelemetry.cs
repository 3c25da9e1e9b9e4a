using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabPortal.Aws.Core;

/// <summary>
/// One log entry and the <see cref="AwsMetrics"/> instruments per call of a generated client, as two
/// AWSSDK.Core pipeline handlers: one outside the SDK's retry handler (calls, errors, duration, the log
/// entry with service, action, outcome, duration, attempts, request id and error code) and one inside
/// it (throttled attempts). Headers, bodies, keys, signatures and tokens are never logged.
/// </summary>
/// <param name="metrics">The shared instruments.</param>
/// <param name="logger">The logger, or null.</param>
public sealed class AwsCallTelemetry(AwsMetrics metrics, ILogger? logger = null)
{
    private readonly AwsMetrics _metrics = metrics;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Adds the two handlers to a generated client's pipeline.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="serviceId">The short service name for tags and logs (<c>elbv2</c>, <c>autoscaling</c>).</param>
    public void AddTo(RuntimePipeline pipeline, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.AddHandlerAfter<MetricsHandler>(new CallHandler(this, serviceId));
        pipeline.AddHandlerAfter<RetryHandler>(new AttemptHandler(this, serviceId));
    }

    private static string Action(IExecutionContext context) =>
        context.RequestContext.OriginalRequest.GetType().Name is var name && name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : context.RequestContext.RequestName;

    private sealed class CallHandler(AwsCallTelemetry owner, string serviceId) : PipelineHandler
    {
        // The generated clients only have asynchronous operations; a synchronous call passes through.
        public override void InvokeSync(IExecutionContext executionContext) => base.InvokeSync(executionContext);

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var action = Action(executionContext);
            var tags = new TagList { { "aws.service", serviceId }, { "aws.action", action } };
            owner._metrics.Calls.Add(1, tags);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
                Finish(executionContext, action, started, (response as AmazonWebServiceResponse)?.ResponseMetadata?.RequestId, null, tags);
                return response;
            }
            catch (Exception ex)
            {
                var (code, requestId) = ex is AmazonServiceException s ? (s.ErrorCode ?? ex.GetType().Name, s.RequestId) : (ex.GetType().Name, null);
                Finish(executionContext, action, started, requestId, code, tags);
                throw;
            }
        }

        private void Finish(IExecutionContext context, string action, long started, string? requestId, string? errorCode, TagList tags)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (errorCode is not null)
            {
                tags.Add("aws.error_code", errorCode);
                owner._metrics.Errors.Add(1, tags);
            }

            owner._metrics.Duration.Record(elapsed.TotalMilliseconds, tags);
            var level = errorCode is null ? LogLevel.Information : LogLevel.Warning;
            owner._logger.Log(level, "AWS {Service} {Action} {Outcome} in {DurationMs} ms after {Attempts} attempt(s), request id {RequestId}, error code {ErrorCode}",
                serviceId, action, errorCode is null ? "succeeded" : "failed", (long)elapsed.TotalMilliseconds, context.RequestContext.Retries + 1, requestId, errorCode);
        }
    }

    private sealed class AttemptHandler(AwsCallTelemetry owner, string serviceId) : PipelineHandler
    {
        // The generated clients only have asynchronous operations; a synchronous call passes through.
        public override void InvokeSync(IExecutionContext executionContext) => base.InvokeSync(executionContext);

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex) when (AwsRetryClassifier.IsThrottlingCode(ex.ErrorCode))
            {
                owner._metrics.Throttles.Add(1, new TagList { { "aws.service", serviceId }, { "aws.action", Action(executionContext) } });
                throw;
            }
        }
    }
}
