using System.Net.Sockets;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class SandboxMachineConcurrencyTests
{
    [Fact]
    public async Task Parallel_requests_see_only_pages_or_refused_connections_when_service_flaps()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\nsystemctl enable --now nginx\necho flap > /usr/share/nginx/html/index.html\n", firstBoot: true);
        using var client = RuntimeTestData.CreateClient();
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var served = 0;
        var refused = 0;

        async Task RequestAsync()
        {
            var endpoint = machine.GetHttpEndpoint(80);
            if (endpoint is null)
            {
                Interlocked.Increment(ref refused);
                return;
            }

            try
            {
                var page = await client.GetStringAsync(endpoint);
                Assert.Equal("flap\n", page);
                Interlocked.Increment(ref served);
            }
            // A stopping server closes its listening socket: new connections are refused, and the
            // few the kernel had already queued but the server never accepted are reset (nginx does
            // the same). Both are "the target did not answer" to a load balancer's health check.
            catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.ConnectionError
                && exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset })
            {
                Interlocked.Increment(ref refused);
            }
            catch (Exception exception)
            {
                unexpected.Add(exception);
            }
        }

        var flapping = Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                await machine.RunScriptAsync(i % 2 == 0 ? "systemctl stop nginx" : "systemctl start nginx");
                await Task.Delay(5);
            }

            await machine.RunScriptAsync("systemctl start nginx");
        });
        var requests = Enumerable.Range(0, 200).Select(_ => Task.Run(RequestAsync)).ToList();
        await Task.WhenAll(requests.Append(flapping));

        Assert.Empty(unexpected);
        Assert.Equal(200, served + refused);
        Assert.True(served > 0, "no request was served");
        Assert.Equal("flap\n", await RuntimeTestData.GetPageAsync(machine));
    }

    [Fact]
    public async Task Concurrent_scripts_and_snapshots_keep_state_consistent()
    {
        await using var machine = RuntimeTestData.CreateMachine();
        await machine.BootAsync(null, firstBoot: true);

        var writers = Enumerable.Range(0, 20).Select(i => machine.RunScriptAsync($"echo {i} > /tmp/f{i}"));
        var snapshots = Enumerable.Range(0, 20).Select(_ => Task.Run(machine.Snapshot));
        await Task.WhenAll(writers.Cast<Task>().Concat(snapshots));

        Assert.Equal(20, machine.Snapshot().Files.Keys.Count(k => k.StartsWith("/tmp/f", StringComparison.Ordinal)));
    }
}
