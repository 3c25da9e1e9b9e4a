namespace LabPortal.Infrastructure.Data;

public enum CloudProvider
{
    Sandbox = 0,
    AwsSharedAccount = 1,
    AwsAccountPool = 2,
}
