namespace LabPortal.Aws.Core;

/// <summary>Base of every response record: carries the AWS request id of the call.</summary>
public abstract record AwsResponse
{
    /// <summary>The request id AWS assigned to the call (<c>requestId</c>, <c>ResponseMetadata/RequestId</c> or <c>x-amzn-RequestId</c>).</summary>
    public string? RequestId { get; init; }
}
