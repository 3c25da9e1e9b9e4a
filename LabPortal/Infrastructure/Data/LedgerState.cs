namespace LabPortal.Infrastructure.Data;

public enum LedgerState
{
    /// <summary>Written before the create call; the resource may or may not exist.</summary>
    Intended = 0,
    Created = 1,
    Deleted = 2,
}
