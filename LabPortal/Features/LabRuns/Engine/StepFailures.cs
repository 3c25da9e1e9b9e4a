using Amazon.Runtime;
using LabPortal.Aws.Core;

namespace LabPortal.Features.LabRuns.Engine;

/// <summary>
/// Which failures of a step are worth an automatic retry: what the AWS SDK's standard retry mode
/// retries (throttling, 5xx, request timeouts: <see cref="AwsRetryClassifier"/>) and a network error
/// or timeout before any answer. Everything else (a validation error, a missing earlier step, a limit
/// the student must change) fails the step at once with its explanation: retrying cannot fix it.
/// </summary>
public static class StepFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        AmazonServiceException aws => AwsRetryClassifier.IsRetryable(aws.ErrorCode, aws.StatusCode),
        HttpRequestException or TimeoutException => true,
        _ => false,
    };
}
