namespace LabPortal.Infrastructure.Data;

public enum StepRunStatus
{
    Pending = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
}
