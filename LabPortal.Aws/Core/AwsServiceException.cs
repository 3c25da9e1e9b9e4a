using System.Net;

namespace LabPortal.Aws.Core;

/// <summary>
/// The one exception every LabPortal.Aws client throws for an AWS error response: the service's
/// error code (for example <c>InvalidGroup.NotFound</c> or <c>TargetGroupNotFound</c>), its message,
/// the request id and the HTTP status.
/// See <see href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html">EC2 error codes</see>.
/// </summary>
public sealed class AwsServiceException : Exception
{
    /// <summary>Creates an exception for an AWS error response.</summary>
    /// <param name="code">The AWS error code as sent on the wire (no <c>Exception</c> suffix).</param>
    /// <param name="message">The error message sent by the service.</param>
    /// <param name="requestId">The request id from the response, when present.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    public AwsServiceException(string code, string message, string? requestId, HttpStatusCode statusCode)
        : base(message)
    {
        Code = code;
        RequestId = requestId;
        StatusCode = statusCode;
    }

    /// <summary>Creates an exception for an AWS error response with an inner exception.</summary>
    /// <param name="code">The AWS error code.</param>
    /// <param name="message">The error message.</param>
    /// <param name="requestId">The request id, when present.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public AwsServiceException(string code, string message, string? requestId, HttpStatusCode statusCode, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
        RequestId = requestId;
        StatusCode = statusCode;
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

    /// <summary>The AWS error code, e.g. <c>RequestLimitExceeded</c>, <c>ValidationError</c>.</summary>
    public string Code { get; }

    /// <summary>The AWS request id of the failed call, for support cases and log correlation.</summary>
    public string? RequestId { get; }

    /// <summary>The HTTP status code of the error response (0 when no response arrived).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>True when the error code is one of the throttling codes the AWS SDKs retry.</summary>
    public bool IsThrottling => AwsRetryClassifier.IsThrottlingCode(Code);
}
