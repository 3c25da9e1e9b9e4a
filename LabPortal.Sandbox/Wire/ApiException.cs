namespace LabPortal.Sandbox.Wire;

/// <summary>
/// An AWS error answered to the caller: the wire code (botocore model <c>error.code</c>, never the
/// shape name with its <c>Exception</c> suffix, aws-behaviour.md section 2.3), the message and the
/// HTTP status from the model. Thrown by handlers; the gateway renders it in the service's envelope.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(string code, string message, int statusCode = 400)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
    }

    public ApiException()
        : this("InternalError", "An internal error has occurred", 500)
    {
    }

    public ApiException(string message)
        : this("InternalError", message, 500)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "InternalError";
        StatusCode = 500;
    }

    public string Code { get; }

    public int StatusCode { get; }

    /// <summary>Query-protocol <c>&lt;Type&gt;</c>: 4xx are the caller's fault (Sender), 5xx the service's (Receiver).</summary>
    public bool IsSenderFault => StatusCode < 500;
}
