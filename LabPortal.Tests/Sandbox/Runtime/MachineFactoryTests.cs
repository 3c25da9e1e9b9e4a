using LabPortal.Sandbox.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class MachineFactoryTests
{
    [Fact]
    public async Task Container_builds_the_factory_when_no_time_provider_is_registered()
    {
        var services = new ServiceCollection().AddLogging();
        services.TryAddSingleton<IMachineFactory, MachineFactory>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        await using var machine = provider.GetRequiredService<IMachineFactory>().Create(RuntimeTestData.Metadata, null);

        Assert.Equal(RuntimeTestData.Metadata, machine.Metadata);
    }
}
