using System.Net.Sockets;
using LabPortal.Sandbox.Runtime;
using Microsoft.Extensions.Logging;

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
            // few the kernel had already queued but the server never accepted are reset, at
            // connect or at the first read (nginx's graceful stop does the same). Both are "the
            // target did not answer" to a load balancer's health check; nothing else is allowed.
            catch (Exception exception) when (IsRefusedOrReset(exception))
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
                await Task.Delay(20);
            }

            await machine.RunScriptAsync("systemctl start nginx");
        });

        // 20 clients keep requesting while the service flaps, at least 200 requests in all.
        var issued = 0;
        var clients = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            while (!flapping.IsCompleted || Volatile.Read(ref issued) < 200)
            {
                Interlocked.Increment(ref issued);
                await RequestAsync();
                await Task.Yield();
            }
        }));
        await Task.WhenAll(clients.Append(flapping));

        Assert.Empty(unexpected);
        Assert.Equal(issued, served + refused);
        Assert.True(issued >= 200);
        Assert.True(served > 0, "no request was served");
        Assert.Equal("flap\n", await RuntimeTestData.GetPageAsync(machine));
    }

    [Fact]
    public async Task Stopping_and_starting_under_traffic_logs_no_warnings_or_errors()
    {
        using var logs = new CollectingLoggerProvider(LogLevel.Warning);
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var machine = new MachineFactory(loggerFactory).Create(RuntimeTestData.Metadata, null);
        await machine.BootAsync("#!/bin/bash\nyum install -y nginx\nsystemctl start nginx\n", firstBoot: true);
        using var client = RuntimeTestData.CreateClient();

        for (var round = 0; round < 3; round++)
        {
            var endpoint = machine.GetHttpEndpoint(80)!;
            var traffic = Enumerable.Range(0, 30).Select(async _ =>
            {
                try
                {
                    await client.GetStringAsync(endpoint);
                }
                catch (Exception exception) when (IsRefusedOrReset(exception))
                {
                    // the stop below may win the race; only the server's logs matter here
                }
            }).ToList();
            await machine.RunScriptAsync("systemctl stop nginx");
            await Task.WhenAll(traffic);
            await machine.RunScriptAsync("systemctl start nginx");
        }

        Assert.Empty(logs.Entries);
    }

    // A connection the server reset just after accepting it can also surface as a bare
    // SocketException (ENOTCONN) from HttpClient reading the socket's remote end point, so the
    // exception itself is checked as well as its inner exceptions.
    private static bool IsRefusedOrReset(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.NotConnected })
            {
                return true;
            }
        }

        return false;
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
