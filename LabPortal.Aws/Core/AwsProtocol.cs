namespace LabPortal.Aws.Core;

/// <summary>The AWS wire protocols LabPortal.Aws speaks.</summary>
public enum AwsProtocol
{
    /// <summary>The <c>query</c> protocol (ELBv2, Auto Scaling): form body, <c>Name.member.N</c> lists, XML with a Result wrapper.</summary>
    Query,

    /// <summary>The <c>ec2</c> protocol: form body with flattened <c>Name.N</c> lists, XML without a Result wrapper.</summary>
    Ec2Query,

    /// <summary>JSON 1.1 with <c>X-Amz-Target</c> (SSM).</summary>
    Json11,
}
