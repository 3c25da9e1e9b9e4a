using System.Text.Json;

namespace LabPortal.Sandbox.Admin;

/// <summary>
/// The wire contract of a standalone sandbox's admin API, served on its API port beside the AWS services
/// (AWS calls never use these paths): what the portal's <c>ISandboxAccounts</c> does in process, over HTTP,
/// for portal nodes that share one sandbox. Every call but <see cref="HealthPath"/> carries the shared key
/// (<c>Sandbox:AdminKey</c>) in <see cref="KeyHeader"/>; bodies are JSON (<see cref="Accounts.SandboxAccount"/>,
/// <see cref="Accounts.SandboxAccountQuotas"/>, <see cref="State.SandboxResource"/>, <see cref="CreateAccountRequest"/>,
/// <see cref="SandboxAdminStatus"/>; camelCase). Refusals are <see cref="SandboxAdminError"/> documents.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>GET /_sandbox/health</c>: 200 while both servers listen (no key, no data).</item>
/// <item><c>GET /_sandbox/admin/status</c>: <see cref="SandboxAdminStatus"/>.</item>
/// <item><c>GET /_sandbox/admin/accounts</c>, <c>POST</c> (a <see cref="CreateAccountRequest"/>; 201 with the account and its secret).</item>
/// <item><c>GET</c> / <c>DELETE /_sandbox/admin/accounts/{id}</c> (404 when unknown; DELETE drops every resource, 204).</item>
/// <item><c>GET /_sandbox/admin/accounts/{id}/resources</c>: what the account still owns.</item>
/// <item><c>GET</c> / <c>PUT</c> / <c>DELETE /_sandbox/admin/accounts/{id}/quotas</c> (GET answers 404 when the account has none).</item>
/// </list>
/// No key configured on the sandbox: 403 for every admin call. A missing or wrong key: 401.
/// </remarks>
public static class SandboxAdminApi
{
    /// <summary>Every path of the admin API starts with this segment.</summary>
    public const string PathBase = "/_sandbox";

    public const string HealthPath = "/_sandbox/health";

    public const string StatusPath = "/_sandbox/admin/status";

    public const string AccountsPath = "/_sandbox/admin/accounts";

    /// <summary>The request header carrying the shared admin key.</summary>
    public const string KeyHeader = "X-Sandbox-Admin-Key";

    /// <summary>The shortest admin key the sandbox accepts (a shared secret, not a password).</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>The JSON settings of every body (camelCase, as ASP.NET Core's web defaults).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static string AccountPath(string accountId) => $"{AccountsPath}/{Uri.EscapeDataString(accountId)}";

    public static string ResourcesPath(string accountId) => $"{AccountPath(accountId)}/resources";

    public static string QuotasPath(string accountId) => $"{AccountPath(accountId)}/quotas";
}
