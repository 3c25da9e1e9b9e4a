namespace LabPortal.Aws.Core;

/// <summary>The parts of an HTTP request that SigV4 covers.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The URI path, e.g. <c>/</c>.</param>
/// <param name="Query">The decoded query parameters, in any order.</param>
/// <param name="Headers">The headers to sign (at least <c>host</c>).</param>
/// <param name="Payload">The request body (empty for GET).</param>
public sealed record SigV4Request(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Payload);
