using System.Net;
using System.Text.Json;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LabPortal.Tests.Sandbox;

public sealed class SandboxHostingTests
{
    [Fact]
    public async Task AddSandbox_starts_own_servers_and_MapSandbox_reports_status_on_portal_pipeline()
    {
        await using var app = BuildPortal(new Dictionary<string, string?>
        {
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:TimeScale"] = "1000",
            ["Sandbox:AllowPlaygroundCredentials"] = "true",
            ["Sandbox:DataDirectory"] = TestSandbox.NewDirectory(),
        });
        await app.StartAsync();
        var endpoints = app.Services.GetRequiredService<SandboxEndpoints>();

        using var status = await app.GetTestClient().GetAsync(new Uri("/sandbox/status", UriKind.Relative));
        var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement;
        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var vpcs = await new SandboxApiClient(endpoints.Api, "test", "test").Ec2Async("DescribeVpcs");

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.True(json.GetProperty("listening").GetBoolean());
        Assert.Equal(endpoints.Api.ToString(), json.GetProperty("api").GetString());
        Assert.Equal(1, json.GetProperty("accounts").GetInt32());
        Assert.Equal(1000, json.GetProperty("timeScale").GetDouble());
        Assert.NotEqual(0, endpoints.Api.Port);
        Assert.NotEqual(endpoints.Api.Port, endpoints.DataPlane.Port);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        vpcs.EnsureOk();

        await app.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task AddSandbox_starts_nothing_when_disabled()
    {
        await using var app = BuildPortal(new Dictionary<string, string?> { ["Sandbox:Enabled"] = "false" });
        await app.StartAsync();

        var endpoints = app.Services.GetRequiredService<SandboxEndpoints>();
        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.False(endpoints.IsListening);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("Sandbox:TimeScale", "0")]
    [InlineData("Sandbox:ApiPort", "70000")]
    [InlineData("Sandbox:BindAddress", "not an address!")]
    [InlineData("Sandbox:BindAddress", "999.1.1.1")]
    [InlineData("Sandbox:DataPlanePort", "4566")]
    public async Task AddSandbox_refuses_to_start_when_options_are_invalid(string key, string value)
    {
        await using var app = BuildPortal(new Dictionary<string, string?> { [key] = value, ["Sandbox:ApiPort"] = key == "Sandbox:ApiPort" ? value : key == "Sandbox:DataPlanePort" ? "4566" : "0", ["Sandbox:DataPlanePort"] = key == "Sandbox:DataPlanePort" ? value : "0" });

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    private static WebApplication BuildPortal(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSandbox();
        builder.Services.AddSingleton<IMachineFactory>(new FakeMachineFactory());
        var app = builder.Build();
        app.MapSandbox();
        return app;
    }
}
