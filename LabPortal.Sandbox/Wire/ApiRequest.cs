using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Wire;

/// <summary>One authenticated API call, as a handler sees it.</summary>
public sealed class ApiRequest
{
    /// <summary>The 12-digit account whose signature was verified; handlers only touch its resources.</summary>
    public required string AccountId { get; init; }

    /// <summary>The region from the SigV4 credential scope.</summary>
    public required string Region { get; init; }

    /// <summary>The operation (<c>Action</c> parameter, or the part of <c>X-Amz-Target</c> after the dot).</summary>
    public required string Action { get; init; }

    /// <summary>Query-protocol parameters (empty for JSON services).</summary>
    public required QueryParameters Parameters { get; init; }

    /// <summary>The JSON 1.1 body (JSON services only; an empty object when the body was empty).</summary>
    public JsonElement Json { get; init; }

    /// <summary>The id echoed in the response envelope and the <c>x-amzn-RequestId</c> header.</summary>
    public required string RequestId { get; init; }

    public required HttpContext HttpContext { get; init; }
}
