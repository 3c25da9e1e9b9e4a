namespace LabPortal.Infrastructure.Live;

/// <summary>What a message between nodes is about; its id says which one. Each is one letter on the wire.</summary>
public enum LiveTopic
{
    /// <summary>A lab run changed (<see cref="RunChanges.Publish"/>): the id is the run's.</summary>
    Run = 'r',

    /// <summary>A class's members changed (<see cref="RunChanges.PublishClassMembers"/>): the id is the class's.</summary>
    ClassMembers = 'c',

    /// <summary>The leading node stored a new live panel snapshot of a run (<see cref="ILiveBus.ShareAsync"/>): the id is the run's.</summary>
    PanelSnapshot = 'p',
}
