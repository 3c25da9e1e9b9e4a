namespace LabPortal.Tests.Portal.Instructors;

/// <summary>Reads server-sent events (event name and data lines, ended by a blank line) from a response stream.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>The data of the next event named <paramref name="name"/>, skipping others.</summary>
    public async Task<string> NextAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (eventName, data) = await ReadEventAsync(cancellationToken);
            if (eventName == name)
            {
                return data;
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private async Task<(string? Name, string Data)> ReadEventAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (name is not null || data.Count > 0)
                {
                    return (name, string.Join('\n', data));
                }

                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart());
            }
        }
    }
}
