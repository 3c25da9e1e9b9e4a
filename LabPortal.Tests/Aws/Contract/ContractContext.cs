using Amazon.Runtime;
using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>The portal's clients (AWS SDK EC2 and SSM, generated ELBv2 and Auto Scaling) for a test server plus unique, AWS-valid names so contract tests never collide.</summary>
public sealed class ContractContext
{
    // The portal's own factory: the contract suite drives exactly the clients the portal uses.
    private static readonly CloudClientFactory Factory = new(new AwsRateLimiter(), TimeProvider.System);

    /// <summary>
    /// The instance profile for launches Run Command must reach: the sandbox, like AWS, refuses SendCommand to an
    /// instance without one (and accepts any name, having no IAM); moto runs commands on any instance but refuses
    /// a profile its IAM does not hold, so none there.
    /// </summary>
    public static string? SsmInstanceProfile(IAwsTestServer server) => server.Name == "sandbox" ? "lab-ssm" : null;

    public ContractContext(IAwsTestServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        Clients = Factory.For(new AwsCredential(server.Region, server.Endpoint, server.AccessKey, server.SecretKey));
    }

    public IAwsTestServer Server { get; }

    public AwsClients Clients { get; }

    /// <summary>
    /// Polls until <paramref name="done"/> holds: AWS (and a faithful emulator) is eventually
    /// consistent and instances take time to change state; moto answers at once.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Repeats <paramref name="action"/> while it fails with one of <paramref name="codes"/> (for example DependencyViolation during teardown).</summary>
    public static async Task RetryWhileAsync(Func<Task> action, params string[] codes)
    {
        ArgumentNullException.ThrowIfNull(action);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (AmazonServiceException ex) when (codes.Contains(ex.ErrorCode) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>A name of at most 32 alphanumerics and hyphens, unique per call (ELB's naming rules).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 13)];
}
