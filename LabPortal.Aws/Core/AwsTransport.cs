using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabPortal.Aws.Core;

/// <summary>
/// The one path every call takes: marshal, then per attempt wait for the rate limiter, sign with
/// fresh credentials and the injected clock, send, read; return the parsed response or throw
/// <see cref="AwsServiceException"/>. Retries follow the AWS SDK standard mode (throttling, 5xx,
/// timeouts; at most <see cref="AwsClientOptions.MaxAttempts"/>; capped jittered backoff; a retry budget).
/// Logs service, action, duration, attempts, request id and error code; never a key, signature or token.
/// </summary>
public sealed class AwsTransport
{
    private readonly AwsClientOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AwsRateLimiter? _rateLimiter;
    private readonly AwsMetrics _metrics;
    private readonly AwsRetryQuota _quota;
    private readonly Lazy<AWSCredentials> _credentials;

    /// <summary>Creates a transport.</summary>
    /// <param name="options">Region, endpoint, credentials, retry settings.</param>
    /// <param name="httpClient">The HTTP client (tests inject a handler).</param>
    /// <param name="logger">The logger, or null.</param>
    /// <param name="timeProvider">The clock used for signing, backoff and rate limiting.</param>
    /// <param name="rateLimiter">The shared rate limiter, or null to create one.</param>
    /// <param name="metrics">The metrics, or null to create them.</param>
    /// <param name="retryQuota">The retry budget, or null for a new one of 500 tokens.</param>
    public AwsTransport(
        AwsClientOptions options,
        HttpClient httpClient,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        AwsRateLimiter? rateLimiter = null,
        AwsMetrics? metrics = null,
        AwsRetryQuota? retryQuota = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _http = httpClient;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _rateLimiter = options.EnableRateLimiting ? rateLimiter ?? new AwsRateLimiter(_time) : null;
        _metrics = metrics ?? new AwsMetrics();
        _quota = retryQuota ?? new AwsRetryQuota();
        // The default chain is resolved on first use, so building clients never needs AWS credentials.
        _credentials = new Lazy<AWSCredentials>(() => options.Credentials ?? AwsCredentials.Default());
    }

    /// <summary>The options this transport was created with.</summary>
    public AwsClientOptions Options => _options;

    /// <summary>The retry budget of this transport.</summary>
    public AwsRetryQuota RetryQuota => _quota;

    /// <summary>Calls a Query protocol action.</summary>
    /// <typeparam name="TResponse">The response record.</typeparam>
    /// <param name="service">The service.</param>
    /// <param name="action">The action name.</param>
    /// <param name="write">Writes the request's members.</param>
    /// <param name="read">Reads the response from the result element and the request id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response.</returns>
    public async Task<TResponse> InvokeQueryAsync<TResponse>(
        AwsServiceDescriptor service,
        string action,
        Action<QueryWriter> write,
        Func<XElement, string?, TResponse> read,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(read);
        var writer = new QueryWriter(action, service.ApiVersion);
        write(writer);
        var body = Encoding.UTF8.GetBytes(writer.ToFormBody());
        var reply = await SendAsync(service, action, body, "application/x-www-form-urlencoded; charset=utf-8", cancellationToken).ConfigureAwait(false);
        try
        {
            var root = XDocument.Parse(reply.Body).Root ?? throw new XmlException("Empty XML response");
            var requestId = XmlRead.ReadString(XmlRead.Child(root, "ResponseMetadata") ?? root, "RequestId");
            var result = XmlRead.Child(root, action + "Result") ?? new XElement(action + "Result");

            return read(result, requestId ?? reply.RequestId);
        }
        catch (Exception ex) when (ex is XmlException or FormatException or OverflowException)
        {
            throw InvalidResponse(service, action, reply, ex);
        }
    }

    private async Task<Reply> SendAsync(AwsServiceDescriptor service, string action, byte[] body, string contentType, CancellationToken cancellationToken)
    {
        var endpoint = AwsEndpoints.Resolve(service, _options.Region, _options.ServiceUrl);
        var started = _time.GetTimestamp();
        var spent = 0;
        var tags = new TagList { { "aws.service", service.ServiceId }, { "aws.action", action } };
        _metrics.Calls.Add(1, tags);
        for (var attempt = 1; ; attempt++)
        {
            ImmutableCredentials credentials;
            try
            {
                credentials = await _credentials.Value.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException)
            {
                // No credentials in the default chain, or STS refused AssumeRole: never retried here.
                Finish(service, action, started, attempt, null, "CredentialsUnavailable", tags);
                throw new AwsServiceException("CredentialsUnavailable", ex.Message, null, 0, ex);
            }

            if (_rateLimiter is not null)
            {
                await _rateLimiter.AcquireAsync(credentials.AccessKey, _options.Region, service.ServiceId, action, cancellationToken).ConfigureAwait(false);
            }

            AwsServiceException error;
            var cost = AwsRetryQuota.RetryCost;
            try
            {
                using var request = Sign(endpoint, service, body, contentType, credentials);
                using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                var headerId = HeaderRequestId(response);
                if (response.IsSuccessStatusCode)
                {
                    _quota.Release(spent == 0 ? 1 : spent);
                    Finish(service, action, started, attempt, headerId, null, tags);
                    return new Reply(text, headerId);
                }

                error = AwsErrorParser.Parse(text, response.StatusCode, headerId);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                error = new AwsServiceException("RequestTimeout", $"No response within {_options.AttemptTimeout}.", null, 0, ex);
                cost = AwsRetryQuota.TimeoutRetryCost;
            }
            catch (HttpRequestException ex)
            {
                error = new AwsServiceException("ConnectionError", ex.Message, null, HttpStatusCode.ServiceUnavailable, ex);
            }

            if (error.IsThrottling)
            {
                _metrics.Throttles.Add(1, tags);
            }

            var retryable = AwsRetryClassifier.IsRetryable(error.ErrorCode, error.StatusCode);
            if (!retryable || attempt >= _options.MaxAttempts || !_quota.TryAcquire(cost))
            {
                Finish(service, action, started, attempt, error.RequestId, error.ErrorCode, tags);
                throw service.MapError is { } map ? map(error) : error;
            }

            spent += cost;
            var delay = Backoff(attempt);
            _logger.LogDebug("AWS {Service} {Action} attempt {Attempt} failed with {ErrorCode}; retrying in {DelayMs} ms", service.ServiceId, action, attempt, error.ErrorCode, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private AwsServiceException InvalidResponse(AwsServiceDescriptor service, string action, Reply reply, Exception ex)
    {
        _logger.LogWarning("AWS {Service} {Action} returned a response that could not be read, request id {RequestId}", service.ServiceId, action, reply.RequestId);
        return new AwsServiceException("InvalidResponse", $"The {service.ServiceId} {action} response could not be read: {ex.Message}", reply.RequestId, HttpStatusCode.OK, ex);
    }

    private TimeSpan Backoff(int attempt)
    {
        // Standard mode: rand(0,1) * base * 2^(attempt-1), capped (botocore retries/standard.py ExponentialBackoff).
        var raw = Random.Shared.NextDouble() * _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(Math.Min(raw, _options.MaxBackoff.TotalMilliseconds));
    }

    private HttpRequestMessage Sign(Uri endpoint, AwsServiceDescriptor service, byte[] body, string contentType, ImmutableCredentials credentials)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", endpoint.Authority),
            new("Content-Type", contentType),
        };
        var signed = SigV4Signer.Sign(
            new SigV4Request("POST", endpoint.AbsolutePath, [], headers, body),
            new SigV4Credentials(credentials.AccessKey, credentials.SecretKey, credentials.UseToken ? credentials.Token : null),
            _options.Region,
            service.SigningName,
            _time.GetUtcNow());

        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in signed.Headers)
        {
            if (name is "Host" or "Content-Type")
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private void Finish(AwsServiceDescriptor service, string action, long started, int attempts, string? requestId, string? errorCode, TagList tags)
    {
        var elapsed = _time.GetElapsedTime(started);
        if (errorCode is not null)
        {
            tags.Add("aws.error_code", errorCode);
            _metrics.Errors.Add(1, tags);
        }

        _metrics.Duration.Record(elapsed.TotalMilliseconds, tags);
        var level = errorCode is null ? LogLevel.Information : LogLevel.Warning;
        _logger.Log(level, "AWS {Service} {Action} {Outcome} in {DurationMs} ms after {Attempts} attempt(s), request id {RequestId}, error code {ErrorCode}",
            service.ServiceId, action, errorCode is null ? "succeeded" : "failed", (long)elapsed.TotalMilliseconds, attempts, requestId, errorCode);
    }

    private static string? HeaderRequestId(HttpResponseMessage response)
    {
        foreach (var name in new[] { "x-amzn-RequestId", "x-amz-request-id" })
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private readonly record struct Reply(string Body, string? RequestId);
}
