namespace LabPortal.Tests.Support;

/// <summary>What a <see cref="ScaleOutCluster"/> starts.</summary>
public sealed class ScaleOutOptions
{
    /// <summary>Names the folder of the processes' logs under <c>TestResults/artifacts/scaleout</c>.</summary>
    public required string Name { get; init; }

    public int Nodes { get; init; } = 2;

    /// <summary>
    /// <c>ConnectionStrings:Portal</c> of every node (one shared database, e.g. <see cref="PostgresCluster.ConnectionString"/>);
    /// null: each node its own SQLite file in its data folder.
    /// </summary>
    public string? PortalConnectionString { get; init; }

    /// <summary>Host environment of the nodes; Development serves MudBlazor's files from the build output, as <c>dotnet run</c> does.</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>The sandbox's <c>Sandbox:TimeScale</c>.</summary>
    public double SandboxTimeScale { get; init; } = 200;

    /// <summary>More settings of every node (over the cluster's own).</summary>
    public IReadOnlyDictionary<string, string?> NodeSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>More settings of the sandbox (over the cluster's own).</summary>
    public IReadOnlyDictionary<string, string?> SandboxSettings { get; init; } = new Dictionary<string, string?>();
}
