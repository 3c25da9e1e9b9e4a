namespace LabPortal.Sandbox.Wire;

/// <summary>
/// Authentication and authorization errors, which differ per protocol (EC2 API reference "Common
/// client errors"; the Query services' common errors; JSON services' *Exception codes), aws-behaviour.md 4.3.
/// </summary>
internal static class ApiAuthErrors
{
    private const string SignatureMismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public static ApiException MissingAuthentication(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("MissingParameter", "The request must contain the parameter AWSAccessKeyId"),
        WireProtocol.Query => new ApiException("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
        _ => new ApiException("MissingAuthenticationTokenException", "Missing Authentication Token"),
    };

    public static ApiException UnknownAccessKey(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
        WireProtocol.Query => new ApiException("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
        _ => new ApiException("UnrecognizedClientException", "The security token included in the request is invalid."),
    };

    public static ApiException BadSignature(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
        WireProtocol.Query => new ApiException("SignatureDoesNotMatch", SignatureMismatch, 403),
        _ => new ApiException("InvalidSignatureException", SignatureMismatch),
    };

    public static ApiException IncompleteSignature(WireProtocol protocol, string message) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("AuthFailure", message, 401),
        WireProtocol.Query => new ApiException("IncompleteSignature", message),
        _ => new ApiException("IncompleteSignatureException", message),
    };

    public static ApiException SessionExpired(WireProtocol protocol) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("RequestExpired", "Request has expired."),
        WireProtocol.Query => new ApiException("ExpiredToken", "The security token included in the request is expired", 403),
        _ => new ApiException("ExpiredTokenException", "The security token included in the request is expired"),
    };

    public static ApiException Expired(WireProtocol protocol, string amzDate) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("RequestExpired", "Request has expired."),
        WireProtocol.Query => new ApiException("SignatureDoesNotMatch", $"Signature expired: {QueryParameters.Shorten(amzDate)} is now earlier or later than the allowed window.", 403),
        _ => new ApiException("InvalidSignatureException", $"Signature expired: {QueryParameters.Shorten(amzDate)} is now earlier or later than the allowed window."),
    };

    /// <summary>What AWS answers a call an explicit deny refuses (EC2 403 UnauthorizedOperation, Query 403 AccessDenied, JSON AccessDeniedException).</summary>
    public static ApiException AccessDenied(WireProtocol protocol, string message) => protocol switch
    {
        WireProtocol.Ec2 => new ApiException("UnauthorizedOperation", "You are not authorized to perform this operation. " + message, 403),
        WireProtocol.Query => new ApiException("AccessDenied", "User is not authorized to perform this operation with an explicit deny in a service control policy. " + message, 403),
        _ => new ApiException("AccessDeniedException", "User is not authorized to perform this operation with an explicit deny in a service control policy. " + message),
    };
}
