using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace LabPortal.Aws.Core;

/// <summary>
/// What the generated marshallers and response unmarshallers share: the Query protocol's form body
/// (botocore's member order, written by <see cref="QueryWriter"/>) on an AWSSDK.Core
/// <see cref="IRequest"/>, and the <c>&lt;{Action}Response&gt;</c> envelope read from an
/// <see cref="XmlUnmarshallerContext"/>.
/// </summary>
public static class QueryProtocol
{
    /// <summary>The Query protocol's content type.</summary>
    public const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    /// <summary>
    /// Builds the SDK request for one call: a POST to <c>/</c> whose body is the form exactly as written
    /// (the SDK's own Query marshallers sort the parameters; botocore keeps the model's order, and the
    /// golden requests are botocore's).
    /// </summary>
    /// <param name="original">The public request.</param>
    /// <param name="serviceName">The SDK service name (<c>Amazon.ElasticLoadBalancingV2</c>).</param>
    /// <param name="form">The written form, <c>Action</c> and <c>Version</c> first.</param>
    /// <returns>The request the pipeline signs and sends.</returns>
    public static IRequest CreateRequest(AmazonWebServiceRequest original, string serviceName, QueryWriter form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var request = new DefaultRequest(original, serviceName)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(form.ToFormBody()),
        };
        request.Headers["Content-Type"] = FormContentType;
        return request;
    }

    /// <summary>
    /// Reads a successful response: loads the document from the context's stream, finds
    /// <c>&lt;{action}Result&gt;</c> (an empty one when the action returns nothing) and the request id
    /// (<c>ResponseMetadata/RequestId</c>, else the <c>x-amzn-RequestId</c> header).
    /// </summary>
    /// <typeparam name="TResponse">The response class.</typeparam>
    /// <param name="context">The SDK's unmarshaller context.</param>
    /// <param name="action">The action name.</param>
    /// <param name="read">The generated reader of the result element.</param>
    /// <returns>The response.</returns>
    public static TResponse ReadResponse<TResponse>(XmlUnmarshallerContext context, string action, Func<XElement, string?, TResponse> read)
        where TResponse : AmazonWebServiceResponse
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(read);
        XElement root;
        try
        {
            root = XDocument.Load(context.Stream).Root ?? throw new XmlException("Empty XML response");
        }
        catch (XmlException ex)
        {
            throw new AmazonUnmarshallingException(RequestIdHeader(context), null, $"The {action} response is not XML: {ex.Message}", ex, context.ResponseData?.StatusCode ?? 0);
        }

        var requestId = XmlRead.ReadString(XmlRead.Child(root, "ResponseMetadata") ?? root, "RequestId") ?? RequestIdHeader(context);
        var result = XmlRead.Child(root, action + "Result") ?? new XElement(action + "Result");
        try
        {
            return read(result, requestId);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new AmazonUnmarshallingException(requestId, null, $"The {action} response could not be read: {ex.Message}", ex, context.ResponseData?.StatusCode ?? 0);
        }
    }

    /// <summary>Reads an error response (<c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>) with AWSSDK.Core's own reader.</summary>
    /// <param name="context">The SDK's unmarshaller context.</param>
    /// <returns>Code, message, type and request id (the header's when the body has none).</returns>
    public static ErrorResponse ReadError(XmlUnmarshallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(context);
        error.RequestId ??= RequestIdHeader(context);
        return error;
    }

    private static string? RequestIdHeader(UnmarshallerContext context) =>
        context.ResponseData?.GetHeaderValue("x-amzn-RequestId") is { Length: > 0 } id ? id
        : context.ResponseData?.GetHeaderValue("x-amz-request-id") is { Length: > 0 } id2 ? id2 : null;
}
