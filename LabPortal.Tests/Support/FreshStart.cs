using LabPortal.Tests.Sandbox.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabPortal.Tests.Support;

/// <summary>A portal's first start on an empty database, with every error it logs while starting and serving one page.</summary>
internal static class FreshStart
{
    public static async Task<IReadOnlyList<string>> ErrorsAsync(TestDatabaseProvider database)
    {
        using var data = new TempDirectory();
        var logs = new CollectingLoggerProvider(LogLevel.Error);
        await using (var factory = new PortalFactory(data.Path, configureServices: services => services.AddSingleton<ILoggerProvider>(logs), database: database))
        {
            using var client = factory.CreatePortalClient();
            var (page, _) = await client.GetAsync("/account/login");
            Assert.True(page.IsSuccessStatusCode, $"GET /account/login answered {(int)page.StatusCode}");
        }

        return [.. logs.Entries];
    }
}
