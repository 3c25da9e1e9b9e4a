using System.Runtime.CompilerServices;

namespace LabPortal.Aws.Core;

/// <summary>Turns a NextToken/Marker operation into an <see cref="IAsyncEnumerable{T}"/> of pages.</summary>
public static class AwsPaginator
{
    /// <summary>Yields pages until the response has no next token.</summary>
    /// <typeparam name="TRequest">The request record.</typeparam>
    /// <typeparam name="TResponse">The response record.</typeparam>
    /// <param name="request">The first request.</param>
    /// <param name="call">Calls the operation.</param>
    /// <param name="nextToken">Reads the next token from a page.</param>
    /// <param name="withToken">Puts the token into the next request.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pages.</returns>
    public static async IAsyncEnumerable<TResponse> PagesAsync<TRequest, TResponse>(
        TRequest request,
        Func<TRequest, CancellationToken, Task<TResponse>> call,
        Func<TResponse, string?> nextToken,
        Func<TRequest, string, TRequest> withToken,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(nextToken);
        ArgumentNullException.ThrowIfNull(withToken);
        var current = request;
        while (true)
        {
            var page = await call(current, cancellationToken).ConfigureAwait(false);
            yield return page;
            var token = nextToken(page);
            if (string.IsNullOrEmpty(token))
            {
                yield break;
            }

            current = withToken(current, token);
        }
    }
}
