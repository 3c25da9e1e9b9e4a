using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>An account's Run Command history in one region (commands are not resources a learner must clean up).</summary>
public sealed class SsmRegionState : IRegionState
{
    public const string SectionName = "ssm";

    /// <summary>Commands kept per region, oldest dropped first (AWS keeps 30 days).</summary>
    public const int MaxCommands = 200;

    public string Region { get; set; } = string.Empty;

    /// <summary>Oldest first.</summary>
    public List<SsmCommand> Commands { get; set; } = [];

    public static SsmRegionState Create(string region) => new() { Region = region };

    public void Add(SsmCommand command)
    {
        Commands.Add(command);
        if (Commands.Count > MaxCommands)
        {
            Commands.RemoveRange(0, Commands.Count - MaxCommands);
        }
    }

    public IEnumerable<SandboxResource> ListResources() => [];
}
