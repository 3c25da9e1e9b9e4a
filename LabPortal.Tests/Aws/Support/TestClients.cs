using LabPortal.Aws.Core;
using Microsoft.Extensions.Logging;

namespace LabPortal.Tests.Aws.Support;

/// <summary>Builds clients on a fake handler with fast retries, for unit tests.</summary>
public static class TestClients
{
    public const string AccessKey = "AKIDLABPORTALTEST";
    public const string SecretKey = "s3cr3t/LabPortal+Test/Key/DoNotLog0000000";

    public static AwsClientOptions Options(string? sessionToken = null) => new()
    {
        Region = "ap-northeast-2",
        ServiceUrl = new Uri("http://aws.test/"),
        Credentials = AwsCredentials.Static(AccessKey, SecretKey, sessionToken),
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
        EnableRateLimiting = false,
    };

    public static AwsClients Create(FakeAwsHandler handler, AwsClientOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var factory = new AwsClientFactory(new HttpClient(handler), loggerFactory);
        return factory.CreateAll(options ?? Options());
    }
}
