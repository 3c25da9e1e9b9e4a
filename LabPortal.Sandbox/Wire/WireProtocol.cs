namespace LabPortal.Sandbox.Wire;

/// <summary>The three wire protocols of the services the sandbox speaks (botocore model <c>metadata.protocol</c>).</summary>
public enum WireProtocol
{
    /// <summary>EC2's own Query dialect: flattened lists, <c>&lt;XxxResponse&gt;&lt;requestId&gt;</c>, <c>&lt;Response&gt;&lt;Errors&gt;</c>.</summary>
    Ec2,

    /// <summary>The Query protocol (ELBv2, Auto Scaling): <c>member</c> lists, <c>XxxResult</c> wrapper, <c>ErrorResponse</c>.</summary>
    Query,

    /// <summary>JSON 1.1 (SSM): action in <c>X-Amz-Target</c>, errors as <c>{"__type": ..}</c>.</summary>
    Json,
}
