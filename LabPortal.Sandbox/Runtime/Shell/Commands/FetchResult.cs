namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>A response an instance's HTTP client got; not <paramref name="Connected"/> when nothing listens on the port.</summary>
internal readonly record struct FetchResult(bool Connected, int StatusCode, IReadOnlyList<(string Name, string Value)> Headers, string Body);
