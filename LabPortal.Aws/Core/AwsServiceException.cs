using System.Net;
using Amazon.Runtime;

namespace LabPortal.Aws.Core;

/// <summary>
/// An AWS error response from one of LabPortal.Aws's clients. It derives from AWSSDK.Core's
/// <see cref="AmazonServiceException"/>, like every exception of the official service packages, so the
/// portal catches one family and reads <see cref="AmazonServiceException.ErrorCode"/>,
/// <see cref="AmazonServiceException.RequestId"/> and <see cref="AmazonServiceException.StatusCode"/>
/// whichever client failed.
/// See <see href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/CommonErrors.html">common errors</see>.
/// </summary>
public class AwsServiceException : AmazonServiceException
{
    /// <summary>Creates an exception for an AWS error response.</summary>
    /// <param name="code">The AWS error code as sent on the wire (no <c>Exception</c> suffix).</param>
    /// <param name="message">The error message sent by the service.</param>
    /// <param name="requestId">The request id from the response, when present.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    public AwsServiceException(string code, string message, string? requestId, HttpStatusCode statusCode)
        : base(message, null, TypeOf(statusCode), code, requestId, statusCode)
    {
    }

    /// <summary>Creates an exception for an AWS error response with an inner exception.</summary>
    /// <param name="code">The AWS error code.</param>
    /// <param name="message">The error message.</param>
    /// <param name="requestId">The request id, when present.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AwsServiceException(string code, string message, string? requestId, HttpStatusCode statusCode, Exception? innerException)
        : base(message, innerException, TypeOf(statusCode), code, requestId, statusCode)
    {
    }

    /// <summary>Creates an exception with a message only (code <c>Unknown</c>, status 0).</summary>
    public AwsServiceException()
        : this("Unknown", "Unknown AWS error", null, 0)
    {
    }

    /// <summary>Creates an exception with a message only (code <c>Unknown</c>, status 0).</summary>
    /// <param name="message">The error message.</param>
    public AwsServiceException(string message)
        : this("Unknown", message, null, 0)
    {
    }

    /// <summary>Creates an exception with a message and inner exception (code <c>Unknown</c>).</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The cause.</param>
    public AwsServiceException(string message, Exception innerException)
        : this("Unknown", message, null, 0, innerException)
    {
    }

    /// <summary>True when the error code is one of the throttling codes the AWS SDKs retry.</summary>
    public bool IsThrottling => AwsRetryClassifier.IsThrottlingCode(ErrorCode);

    // AWS's convention (and the SDK's): 5xx are the service's fault, everything else the caller's.
    private static ErrorType TypeOf(HttpStatusCode status) => (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender;
}
