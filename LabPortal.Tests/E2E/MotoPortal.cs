using LabPortal.Tests.Aws.Contract.Moto;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.E2E;

/// <summary>The portal with <c>Cloud:Mode=Aws</c> pointed at a moto server of its own, on the shipped labs.</summary>
public sealed class MotoPortal : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private MotoPortal(MotoServerFixture moto, TempDirectory data, PortalFactory factory)
    {
        Moto = moto;
        _data = data;
        Factory = factory;
    }

    public MotoServerFixture Moto { get; }

    public PortalFactory Factory { get; }

    public static async Task<MotoPortal> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var moto = new MotoServerFixture();
        await moto.InitializeAsync();
        var all = new Dictionary<string, string?>
        {
            ["Labs:Directory"] = Lab1Flow.ShippedLabs,
            ["Cloud:Mode"] = "Aws",
            ["Cloud:AwsServiceUrl"] = moto.Endpoint.ToString(),
            ["Cloud:AwsAccessKeyId"] = moto.AccessKey,
            ["Cloud:AwsSecretAccessKey"] = moto.SecretKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var data = new TempDirectory();
        return new MotoPortal(moto, data, new PortalFactory(data.Path, all));
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Moto.DisposeAsync();
        _data.Dispose();
    }
}
