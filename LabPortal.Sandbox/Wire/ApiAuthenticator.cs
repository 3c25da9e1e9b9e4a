using LabPortal.Sandbox.Accounts;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Sandbox.Wire;

/// <summary>
/// Finds the account behind a SigV4 request and proves it: a known access key, a date inside the
/// allowed clock skew (or a presigned URL not yet expired), a matching signature, and for temporary
/// credentials the session token and its expiry. Failures are each protocol's own auth errors.
/// </summary>
internal sealed class ApiAuthenticator
{
    private readonly SandboxAccountStore _accounts;
    private readonly TimeProvider _time;

    public ApiAuthenticator(SandboxAccountStore accounts, TimeProvider time)
    {
        _accounts = accounts;
        _time = time;
    }

    public SandboxAccount Authenticate(SigV4Request auth, HttpRequest request, byte[] body, WireProtocol protocol)
    {
        var account = _accounts.FindByAccessKey(auth.AccessKeyId) ?? throw ApiAuthErrors.UnknownAccessKey(protocol);
        if (!SigV4Verifier.TryParseAmzDate(auth.AmzDate, out var signedAt) || !auth.AmzDate.StartsWith(auth.ScopeDate, StringComparison.Ordinal))
        {
            throw ApiAuthErrors.IncompleteSignature(protocol, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{QueryParameters.Shorten(auth.AmzDate)}'");
        }

        var now = _time.GetUtcNow();
        var expired = auth.Presigned
            ? now > signedAt.AddSeconds(auth.ExpiresSeconds) || signedAt - now > SigV4Verifier.MaxClockSkew
            : (now - signedAt).Duration() > SigV4Verifier.MaxClockSkew;
        if (expired)
        {
            throw ApiAuthErrors.Expired(protocol, auth.AmzDate);
        }

        if (!SigV4Verifier.IsValid(auth, account.SecretAccessKey, request, body))
        {
            throw ApiAuthErrors.BadSignature(protocol);
        }

        if (account.SessionToken is { } token)
        {
            // Temporary credentials (STS AssumeRole) are good only with their token, and only until they expire.
            var sent = request.Headers["X-Amz-Security-Token"].ToString();
            if (sent.Length == 0)
            {
                sent = request.Query["X-Amz-Security-Token"].ToString();
            }

            if (!string.Equals(sent, token, StringComparison.Ordinal))
            {
                throw ApiAuthErrors.UnknownAccessKey(protocol);
            }

            if (now >= account.SessionExpiresAt)
            {
                throw ApiAuthErrors.SessionExpired(protocol);
            }
        }

        return account;
    }
}
