using LabPortal.Aws.Core;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>Clients for a test server plus unique, AWS-valid names so contract tests never collide.</summary>
public sealed class ContractContext
{
    public ContractContext(IAwsTestServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        var options = AwsClientOptions.ForStaticKeys(server.Region, server.AccessKey, server.SecretKey, server.Endpoint);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        Clients = new AwsClientFactory(new HttpClient()).CreateAll(options);
    }

    public IAwsTestServer Server { get; }

    public AwsClients Clients { get; }

    /// <summary>A name of at most 32 alphanumerics and hyphens, unique per call (ELB's naming rules).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 13)];
}
