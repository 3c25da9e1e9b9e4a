using LabPortal.Sandbox.Runtime;
using Microsoft.AspNetCore.Http;

namespace LabPortal.Tests.Sandbox.Runtime;

/// <summary>The load balancer's in-process path answers exactly as the listener does, and only while it listens.</summary>
public sealed class InProcessServingTests
{
    private const string NginxUserData = "#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\necho '<h1>in process</h1>' > /usr/share/nginx/html/index.html\n";

    [Fact]
    public async Task TryServe_answers_like_the_listener_while_nginx_runs_and_declines_once_it_is_stopped()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(NginxUserData, firstBoot: true);
        using var http = new HttpClient();
        var overSocket = await http.GetAsync(machine.GetHttpEndpoint(80));

        var inProcess = await ServeAsync(machine, "/");

        Assert.True(inProcess.Served);
        Assert.Equal((int)overSocket.StatusCode, inProcess.Status);
        Assert.Equal(await overSocket.Content.ReadAsStringAsync(), inProcess.Body);
        Assert.Equal(overSocket.Headers.Server.ToString(), inProcess.Server);
        Assert.Equal(404, (await ServeAsync(machine, "/missing.html")).Status);

        await machine.RunScriptAsync("systemctl stop nginx");

        Assert.False((await ServeAsync(machine, "/")).Served);
        Assert.Null(machine.GetHttpEndpoint(80));
    }

    private static async Task<(bool Served, int Status, string Body, string Server)> ServeAsync(IMachine machine, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        using var body = new MemoryStream();
        context.Response.Body = body;
        var served = await machine.TryServeAsync(80, context);
        return (served, context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers.Server.ToString());
    }
}
