using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Admin;
using LabPortal.Sandbox.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabPortal.Sandbox;

/// <summary>
/// Serves <see cref="SandboxAdminApi"/> on the API port: the account operations portal nodes need when the
/// sandbox runs as its own process. The key is compared in constant time and never logged or echoed.
/// </summary>
internal sealed partial class SandboxAdminEndpoint(
    IOptions<SandboxOptions> options,
    SandboxAccountStore accounts,
    SandboxEndpoints endpoints,
    ILogger<SandboxAdminEndpoint> logger)
{
    public static bool Handles(HttpContext context) => context.Request.Path.StartsWithSegments(SandboxAdminApi.PathBase, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var cancellationToken = context.RequestAborted;
        if (path == SandboxAdminApi.HealthPath && HttpMethods.IsGet(request.Method))
        {
            await WriteAsync(context, endpoints.IsListening ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new { listening = endpoints.IsListening });
            return;
        }

        if (!path.StartsWith("/_sandbox/admin/", StringComparison.Ordinal))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "NotFound", $"No admin operation at {path}.");
            return;
        }

        var configured = options.Value.AdminKey;
        if (string.IsNullOrEmpty(configured))
        {
            LogRefused(request.Method, path, "no admin key configured");
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "AdminApiDisabled",
                "This sandbox has no admin key (Sandbox:AdminKey), so its admin API is off. Start it with the key the portal nodes use.");
            return;
        }

        if (!request.Headers.TryGetValue(SandboxAdminApi.KeyHeader, out var given) || !SameKey(given.ToString(), configured))
        {
            LogRefused(request.Method, path, given.Count == 0 ? "no key sent" : "wrong key");
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "InvalidAdminKey",
                $"The {SandboxAdminApi.KeyHeader} header is missing or does not match this sandbox's Sandbox:AdminKey. Give the portal nodes the same key as the sandbox.");
            return;
        }

        try
        {
            await DispatchAsync(context, path["/_sandbox/admin/".Length..].Split('/'), cancellationToken);
        }
        catch (JsonException)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "InvalidBody", "The body is not the JSON document this operation takes.");
        }
    }

    private async Task DispatchAsync(HttpContext context, string[] segments, CancellationToken cancellationToken)
    {
        var method = context.Request.Method;
        switch (segments)
        {
            case ["status"] when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, new SandboxAdminStatus(endpoints.Api, endpoints.DataPlane, accounts.Count, options.Value.TimeScale));
                return;
            case ["accounts"] when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, await accounts.ListAccountsAsync(cancellationToken));
                return;
            case ["accounts"] when HttpMethods.IsPost(method):
                var create = await ReadAsync<CreateAccountRequest>(context);
                if (create is null || string.IsNullOrWhiteSpace(create.Label) || create.Label.Length > 200)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, "InvalidLabel", "Give the account a label of 1 to 200 characters: {\"label\": \"...\"}.");
                    return;
                }

                await WriteAsync(context, StatusCodes.Status201Created, await accounts.CreateAccountAsync(create.Label, cancellationToken));
                return;
            case ["accounts", var id] when HttpMethods.IsGet(method):
                await WriteFoundAsync(context, await accounts.FindAccountAsync(id, cancellationToken), id);
                return;
            case ["accounts", var id] when HttpMethods.IsDelete(method):
                await WriteDoneAsync(context, await accounts.DeleteAccountAsync(id, cancellationToken), id);
                return;
            case ["accounts", var id, "resources"] when HttpMethods.IsGet(method):
                await WriteFoundAsync(context, accounts.FindAccountSync(id) is null ? null : await accounts.ListResourcesAsync(id, cancellationToken), id);
                return;
            case ["accounts", var id, "quotas"] when HttpMethods.IsGet(method):
                if (accounts.FindAccountSync(id) is null)
                {
                    await WriteFoundAsync<object>(context, null, id);
                    return;
                }

                if (accounts.FindQuotas(id) is { } quotas)
                {
                    await WriteAsync(context, StatusCodes.Status200OK, quotas);
                    return;
                }

                await RefuseAsync(context, StatusCodes.Status404NotFound, "NoQuotas", $"The account {id} has no quotas.");
                return;
            case ["accounts", var id, "quotas"] when HttpMethods.IsPut(method):
                var set = await ReadAsync<SandboxAccountQuotas>(context);
                if (set is null)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, "InvalidBody", "Send the quotas as a JSON object.");
                    return;
                }

                await WriteDoneAsync(context, await accounts.SetQuotasAsync(id, set, cancellationToken), id);
                return;
            case ["accounts", var id, "quotas"] when HttpMethods.IsDelete(method):
                await WriteDoneAsync(context, await accounts.SetQuotasAsync(id, null, cancellationToken), id);
                return;
            default:
                await RefuseAsync(context, StatusCodes.Status404NotFound, "NotFound", $"No admin operation {method} {context.Request.Path}.");
                return;
        }
    }

    // Hashing both sides first makes the comparison's time independent of the keys' lengths too.
    private static bool SameKey(string given, string configured) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));

    private static ValueTask<T?> ReadAsync<T>(HttpContext context) =>
        JsonSerializer.DeserializeAsync<T>(context.Request.Body, SandboxAdminApi.Json, context.RequestAborted);

    private static Task WriteFoundAsync<T>(HttpContext context, T? value, string accountId) => value is null
        ? RefuseAsync(context, StatusCodes.Status404NotFound, "NoSuchAccount", $"The sandbox has no account {accountId}.")
        : WriteAsync(context, StatusCodes.Status200OK, value);

    private static Task WriteDoneAsync(HttpContext context, bool done, string accountId)
    {
        if (!done)
        {
            return RefuseAsync(context, StatusCodes.Status404NotFound, "NoSuchAccount", $"The sandbox has no account {accountId}.");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task RefuseAsync(HttpContext context, int status, string code, string message) =>
        WriteAsync(context, status, new SandboxAdminError(code, message));

    private static async Task WriteAsync<T>(HttpContext context, int status, T value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, SandboxAdminApi.Json, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox admin call {Method} {Path} refused: {Reason}")]
    private partial void LogRefused(string method, string path, string reason);
}
