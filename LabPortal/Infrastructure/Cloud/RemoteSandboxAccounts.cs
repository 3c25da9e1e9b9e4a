using System.Net;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Admin;
using LabPortal.Sandbox.State;
using Microsoft.Extensions.Options;

namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// <see cref="ISandboxAccounts"/> over a standalone sandbox's admin API (<see cref="SandboxAdminApi"/>), for portal
/// nodes that share one sandbox. An unreachable sandbox, or one that refuses the key, is a
/// <see cref="SandboxUnavailableException"/> (a network error to the jobs, a sentence to the learner). The key
/// travels in a header only and is never logged.
/// </summary>
public sealed partial class RemoteSandboxAccounts : ISandboxAccounts, IDisposable
{
    private readonly HttpClient _http;
    private readonly SandboxConnection _connection;
    private readonly ILogger<RemoteSandboxAccounts> _logger;

    public RemoteSandboxAccounts(IOptions<ExternalSandboxOptions> options, SandboxConnection connection, ILogger<RemoteSandboxAccounts> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _connection = connection;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(3) })
        {
            BaseAddress = settings.ApiUrl,
            Timeout = settings.AdminTimeout,
        };
        _http.DefaultRequestHeaders.Add(SandboxAdminApi.KeyHeader, settings.AdminKey);
    }

    public async Task<SandboxAccount> CreateAccountAsync(string label, CancellationToken cancellationToken = default) =>
        await SendAsync<SandboxAccount>(HttpMethod.Post, SandboxAdminApi.AccountsPath, new CreateAccountRequest(label), cancellationToken)
            ?? throw SandboxUnavailableException.Because("The sandbox answered account creation without an account.");

    public async Task<bool> DeleteAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, SandboxAdminApi.AccountPath(accountId), null, cancellationToken);

    public async Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<SandboxAccount>>(HttpMethod.Get, SandboxAdminApi.AccountsPath, null, cancellationToken) ?? [];

    public Task<SandboxAccount?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxAccount>(HttpMethod.Get, SandboxAdminApi.AccountPath(accountId), null, cancellationToken);

    public async Task<IReadOnlyList<SandboxResource>> ListResourcesAsync(string accountId, CancellationToken cancellationToken = default) =>
        await SendAsync<List<SandboxResource>>(HttpMethod.Get, SandboxAdminApi.ResourcesPath(accountId), null, cancellationToken) ?? [];

    public async Task<int> CountResourcesAsync(string accountId, CancellationToken cancellationToken = default) =>
        (await ListResourcesAsync(accountId, cancellationToken)).Count;

    public Task<bool> SetQuotasAsync(string accountId, SandboxAccountQuotas? quotas, CancellationToken cancellationToken = default) =>
        quotas is null
            ? SendAsync(HttpMethod.Delete, SandboxAdminApi.QuotasPath(accountId), null, cancellationToken)
            : SendAsync(HttpMethod.Put, SandboxAdminApi.QuotasPath(accountId), quotas, cancellationToken);

    public Task<SandboxAccountQuotas?> FindQuotasAsync(string accountId, CancellationToken cancellationToken = default) =>
        SendAsync<SandboxAccountQuotas>(HttpMethod.Get, SandboxAdminApi.QuotasPath(accountId), null, cancellationToken);

    /// <summary>The standalone sandbox's status, checking the key too (the portal's health check).</summary>
    public Task<SandboxAdminStatus?> StatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync<SandboxAdminStatus>(HttpMethod.Get, SandboxAdminApi.StatusPath, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <summary>A document, or null on 404 (an unknown account, no quotas).</summary>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await CallAsync(method, path, body, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await response.Content.ReadFromJsonAsync<T>(SandboxAdminApi.Json, cancellationToken);
    }

    /// <summary>True on success, false on 404 (an unknown account).</summary>
    private async Task<bool> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(method, path, body, cancellationToken);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: SandboxAdminApi.Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _connection.ReportFailure();
            LogUnreachable(_http.BaseAddress!, method.Method, path, e.Message);
            throw SandboxUnavailableException.Because($"The sandbox at {_http.BaseAddress} does not answer: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
        {
            _connection.ReportSuccess();
            return response;
        }

        var error = await ReadErrorAsync(response, cancellationToken);
        response.Dispose();
        _connection.ReportFailure();
        LogRefused(_http.BaseAddress!, method.Method, path, (int)response.StatusCode, error);
        throw SandboxUnavailableException.Because($"The sandbox at {_http.BaseAddress} refused {method} {path} ({(int)response.StatusCode}): {error}");
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<SandboxAdminError>(SandboxAdminApi.Json, cancellationToken) is { } error
                ? $"{error.Code}: {error.Message}"
                : response.ReasonPhrase ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return response.ReasonPhrase ?? "";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standalone sandbox {Api} unreachable on {Method} {Path}: {Error}")]
    private partial void LogUnreachable(Uri api, string method, string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Standalone sandbox {Api} refused {Method} {Path} with {Status}: {Error}")]
    private partial void LogRefused(Uri api, string method, string path, int status, string error);
}
