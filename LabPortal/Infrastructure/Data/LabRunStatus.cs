namespace LabPortal.Infrastructure.Data;

public enum LabRunStatus
{
    Active = 0,
    TearingDown = 1,
    TornDown = 2,

    /// <summary>Finished with its resources kept for the next lab.</summary>
    Kept = 3,
}
