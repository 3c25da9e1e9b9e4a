using LabPortal.Sandbox;

namespace LabPortal.Tests.Architecture.Samples.WrongAws;

/// <summary>Breaks "the AWS clients never reference the sandbox": a client-side type reading the sandbox's endpoints (a sample for <see cref="ArchitectureRulesFailTests"/>).</summary>
public static class ClientTypeUsingTheSandbox
{
    public static Uri EndpointOf(SandboxEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Api;
    }
}
