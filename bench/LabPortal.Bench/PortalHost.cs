extern alias portal;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using LabPortal.Sandbox.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Bench;

/// <summary>
/// <c>LabPortal.Bench portal-host</c>: the real portal (its Program, pages, Hangfire jobs and embedded
/// sandbox) on Kestrel in a process of its own, so the load generator's CPU is never counted as the
/// portal's. Beside the portal it serves <c>GET /bench/stats</c>: this process's CPU time, working
/// set and GC heap (peaks sampled every 250 ms) and the API calls the sandbox counted per action and
/// account on its <see cref="SandboxMetrics"/> meter.
/// </summary>
internal static class PortalHost
{
    public const string Command = "portal-host";

    /// <summary>Runs until the process is killed. Arguments: <c>--port P</c>, then <c>key=value</c> configuration settings.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || args[0] != "--port" || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            Console.Error.WriteLine($"usage: LabPortal.Bench {Command} --port P [key=value ...]");
            return 2;
        }

        var settings = args.Skip(2).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        using var probe = new PortalProbe();
        await using var factory = new HostedPortal(settings, probe);
        factory.UseKestrel(port);
        factory.StartServer();
        Console.WriteLine($"portal-host listening on port {port}");

        // Serve until the bench that started this process is gone (killed, or stopped with Ctrl+C):
        // then the kernel hands this process to another parent, and it stops too.
        var parent = ParentProcessId();
        while (ParentProcessId() == parent)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Console.WriteLine("portal-host: the bench went away; stopping");
        return 0;
    }

    /// <summary>The parent's process id, field 4 of <c>/proc/self/stat</c> (after the parenthesised command name).</summary>
    private static int ParentProcessId()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    private sealed class HostedPortal(IReadOnlyDictionary<string, string> settings, PortalProbe probe) : WebApplicationFactory<portal::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As `dotnet run` starts it (and as the browser tests run it).
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new StatsEndpoint(probe)));
        }
    }

    /// <summary>Maps <c>/bench/stats</c> ahead of the portal's own pipeline (no sign-in, no antiforgery).</summary>
    private sealed class StatsEndpoint(PortalProbe probe) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/bench/stats", stats => stats.Run(context => probe.WriteAsync(context)));
            app.Map("/bench/calls-per-second", calls => calls.Run(context => probe.WritePerSecondAsync(context)));
            app.Map("/bench/resources", resources => resources.Run(WriteResourcesAsync));
            app.Map("/bench/reset-progress", progress => progress.Run(WriteResetProgressAsync));
            app.Map("/bench/step-outcomes", outcomes => outcomes.Run(WriteStepOutcomesAsync));
            next(app);
        };

        /// <summary>Every sandbox account but the playground, with its live resources counted by type (the sandbox's own listing).</summary>
        private static async Task WriteResourcesAsync(HttpContext context)
        {
            var accounts = context.RequestServices.GetRequiredService<LabPortal.Sandbox.Accounts.ISandboxAccounts>();
            var result = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
            foreach (var account in await accounts.ListAccountsAsync(context.RequestAborted))
            {
                if (account.IsPlayground)
                {
                    continue;
                }

                var resources = await accounts.ListResourcesAsync(account.AccountId, context.RequestAborted);
                result[account.AccountId] = resources.GroupBy(r => $"{r.Service}:{r.ResourceType}").ToDictionary(g => g.Key, g => g.Count());
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(result));
        }

        /// <summary>Every finished step run of the class's learners (<c>?classId=</c>), with its finish time.</summary>
        private static async Task WriteStepOutcomesAsync(HttpContext context)
        {
            var classId = int.Parse(context.Request.Query["classId"].ToString(), CultureInfo.InvariantCulture);
            using var scope = context.RequestServices.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<portal::LabPortal.Infrastructure.Data.PortalDbContext>();
            var members = db.ClassMemberships.Where(m => m.ClassroomId == classId).Select(m => m.UserId);
            var rows = await db.StepRuns.Where(s => members.Contains(s.LabRun.UserId) && s.FinishedAtUtc != null)
                .Select(s => new { s.LabRun.UserId, s.StepId, s.Status, s.FinishedAtUtc })
                .ToListAsync(context.RequestAborted);
            var body = rows.Select(r => new StepOutcome(r.UserId, r.StepId, r.Status.ToString(),
                new DateTimeOffset(DateTime.SpecifyKind(r.FinishedAtUtc!.Value, DateTimeKind.Utc)).ToUnixTimeMilliseconds())).ToList();
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(body));
        }

        /// <summary>The class's latest reset as the dashboard's progress bar reads it (<c>?classId=</c>).</summary>
        private static async Task WriteResetProgressAsync(HttpContext context)
        {
            var classId = int.Parse(context.Request.Query["classId"].ToString(), CultureInfo.InvariantCulture);
            using var scope = context.RequestServices.CreateScope();
            var report = await scope.ServiceProvider.GetRequiredService<portal::LabPortal.Features.Cleanup.ResetProgress>().ForClassAsync(classId, cancellationToken: context.RequestAborted);
            var body = new ResetProgressStats(
                report.RunsTotal,
                report.RunsDone,
                report.RunsFailed,
                report.ResourcesLeft,
                report.Finished,
                [.. report.Runs.Select(r => $"#{r.RunId} {r.State} left {r.ResourcesLeft}/{r.ResourcesTotal}: {r.Detail}")]);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(body));
        }
    }
}

/// <summary>A step's recorded outcome: who, which step, the state the dashboard's cell shows for it, and when (Unix ms).</summary>
internal sealed record StepOutcome(int UserId, string StepId, string Status, long FinishedUnixMs);

/// <summary>A class reset's progress as <c>ResetProgress</c> reports it.</summary>
internal sealed record ResetProgressStats(int RunsTotal, int RunsDone, int RunsFailed, int ResourcesLeft, bool Finished, IReadOnlyList<string> Runs);

/// <summary>API calls the sandbox counted in one wall-clock second (Unix seconds) for one account, service and action.</summary>
internal sealed record SecondCount(long Second, string Account, string Service, string Action, long Calls);

/// <summary>What the portal host reports: resource use and the sandbox's API call counts.</summary>
internal sealed record PortalStats(
    double CpuSeconds,
    long WorkingSetBytes,
    long PeakWorkingSetBytes,
    long ProcessPeakWorkingSetBytes,
    long GcHeapBytes,
    long PeakGcHeapBytes,
    long GcCommittedBytes,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen2Collections,
    Dictionary<string, Dictionary<string, long>> ApiCalls,
    Dictionary<string, long>? ClientCounters = null,
    int PanelPollers = 0,
    double PanelIntervalMs = 0,
    int PeakThreadPoolThreads = 0,
    long PeakThreadPoolQueue = 0,
    double WorstSamplerLateMs = 0)
{
    /// <summary>Calls of <paramref name="action"/> across all accounts.</summary>
    public long Calls(string action) => ApiCalls.TryGetValue(action, out var byAccount) ? byAccount.Values.Sum() : 0;

    /// <summary>Calls of <paramref name="action"/> per account made since <paramref name="before"/>.</summary>
    public Dictionary<string, long> CallsByAccountSince(PortalStats before, string action)
    {
        var now = ApiCalls.GetValueOrDefault(action) ?? [];
        var then = before.ApiCalls.GetValueOrDefault(action) ?? [];
        return now.Select(p => (p.Key, Count: p.Value - then.GetValueOrDefault(p.Key))).Where(p => p.Count > 0).ToDictionary(p => p.Key, p => p.Count);
    }
}

/// <summary>Samples this process and listens to the sandbox's API call counter.</summary>
internal sealed class PortalProbe : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Action, string Account), long> _calls = new();
    private readonly ConcurrentDictionary<(long Second, string Account, string Service, string Action), long> _perSecond = new();
    private readonly ConcurrentDictionary<string, long> _clientCounters = new(StringComparer.Ordinal);
    private readonly Timer _sampler;
    private long _peakWorkingSet;
    private long _peakGcHeap;
    private long _peakThreads;
    private long _peakQueue;
    private long _worstLateTicks;
    private long _lastSampleTicks = Stopwatch.GetTimestamp();

    public PortalProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument.Meter.Name == SandboxMetrics.MeterName && instrument.Name == SandboxMetrics.ApiCallsName)
                || (instrument.Meter.Name == LabPortal.Aws.Core.AwsMetrics.MeterName && instrument is Counter<long>))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string action = "", account = "", service = "", error = "";
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "aws.action":
                        action = tag.Value as string ?? "";
                        break;
                    case "aws.account":
                        account = tag.Value as string ?? "";
                        break;
                    case "aws.service":
                        service = tag.Value as string ?? "";
                        break;
                    case "aws.error_code":
                        error = tag.Value as string ?? "";
                        break;
                }
            }

            if (instrument.Meter.Name == SandboxMetrics.MeterName)
            {
                _calls.AddOrUpdate((action, account), value, (_, old) => old + value);
                _perSecond.AddOrUpdate((DateTimeOffset.UtcNow.ToUnixTimeSeconds(), account, service, action), value, (_, old) => old + value);
            }
            else
            {
                // The portal's AWS clients (meter LabPortal.Aws): calls made, errors by code, throttled attempts.
                var key = error.Length > 0 ? $"{instrument.Name}|{service}:{action}|{error}" : $"{instrument.Name}|{service}:{action}";
                _clientCounters.AddOrUpdate(key, value, (_, old) => old + value);
            }
        });
        _listener.Start();
        _sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public Task WriteAsync(HttpContext context)
    {
        if (context.Request.Query.ContainsKey("gc"))
        {
            // The managed heap's live size: everything unreachable collected, the large object heap compacted too.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        Sample();
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        var stats = new PortalStats(
            process.TotalProcessorTime.TotalSeconds,
            Environment.WorkingSet,
            Interlocked.Read(ref _peakWorkingSet),
            process.PeakWorkingSet64,
            GC.GetTotalMemory(false),
            Interlocked.Read(ref _peakGcHeap),
            gc.TotalCommittedBytes,
            GC.GetTotalAllocatedBytes(),
            GC.CollectionCount(0),
            GC.CollectionCount(2),
            _calls.GroupBy(c => c.Key.Action).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Key.Account, c => c.Value)),
            new Dictionary<string, long>(_clientCounters, StringComparer.Ordinal),
            context.RequestServices.GetService<portal::LabPortal.Features.LivePanel.LivePanelHub>()?.PollerCount ?? 0,
            context.RequestServices.GetService<portal::LabPortal.Features.LivePanel.LivePanelHub>()?.Interval.TotalMilliseconds ?? 0,
            (int)Interlocked.Read(ref _peakThreads),
            Interlocked.Read(ref _peakQueue),
            Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _worstLateTicks)).TotalMilliseconds);
        if (context.Request.Query.ContainsKey("reset"))
        {
            // Peaks from here on belong to the next phase.
            Interlocked.Exchange(ref _peakWorkingSet, 0);
            Interlocked.Exchange(ref _peakGcHeap, 0);
            Interlocked.Exchange(ref _peakThreads, 0);
            Interlocked.Exchange(ref _peakQueue, 0);
            Interlocked.Exchange(ref _worstLateTicks, 0);
            Sample();
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(stats, Json));
    }

    /// <summary>The sandbox's API calls per wall-clock second, account, service and action, from <c>?from=</c> (Unix seconds) on.</summary>
    public Task WritePerSecondAsync(HttpContext context)
    {
        var from = long.Parse(context.Request.Query["from"].ToString(), CultureInfo.InvariantCulture);
        var rows = _perSecond.Where(p => p.Key.Second >= from)
            .Select(p => new SecondCount(p.Key.Second, p.Key.Account, p.Key.Service, p.Key.Action, p.Value))
            .OrderBy(r => r.Second).ToList();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(rows, Json));
    }

    public void Dispose()
    {
        _sampler.Dispose();
        _listener.Dispose();
    }

    private void Sample()
    {
        Max(ref _peakWorkingSet, Environment.WorkingSet);
        Max(ref _peakGcHeap, GC.GetTotalMemory(false));
        // The thread pool: its size, its backlog, and how late this 250 ms timer ran (a starved pool runs it late).
        Max(ref _peakThreads, ThreadPool.ThreadCount);
        Max(ref _peakQueue, ThreadPool.PendingWorkItemCount);
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Exchange(ref _lastSampleTicks, now);
        Max(ref _worstLateTicks, now - last - (Stopwatch.Frequency / 4));
    }

    private static void Max(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>The parent's handle on a <c>portal-host</c> child process.</summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    public const string InstructorUserName = "bench-teacher";
    public const string InstructorPassword = "bench-teacher-password-1";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly ChildProcess _child;
    private readonly HttpClient _http;

    private PortalProcess(ChildProcess child, string logPath)
    {
        _child = child;
        LogPath = logPath;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = child.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url => _child.Url;

    public int ProcessId => _child.ProcessId;

    public string LogPath { get; }

    /// <summary>Starts this program as <c>portal-host</c> with the sandbox embedded and waits until the sandbox listens.</summary>
    public static async Task<PortalProcess> StartAsync(string directory, double timeScale, IDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:TimeScale"] = timeScale.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return await LaunchAsync(directory, settings, "the portal's sandbox to listen", async http =>
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync("/sandbox/status"));
            return status.RootElement.GetProperty("listening").GetBoolean();
        });
    }

    /// <summary>
    /// Starts this program as <c>portal-host</c> as one node of several (<paramref name="settings"/>: the standalone
    /// sandbox's URLs and key, the shared database) and waits until its <c>/healthz</c> answers 200 (database, jobs and
    /// the standalone sandbox healthy).
    /// </summary>
    public static Task<PortalProcess> StartNodeAsync(string directory, IReadOnlyDictionary<string, string> settings) =>
        LaunchAsync(directory, settings, "the node's /healthz to answer 200", async http => (await http.GetAsync("/healthz")).IsSuccessStatusCode);

    private static async Task<PortalProcess> LaunchAsync(string directory, IReadOnlyDictionary<string, string> extra, string readiness, Func<HttpClient, Task<bool>> ready)
    {
        var repository = RepositoryRoot();
        var settings = new Dictionary<string, string>
        {
            ["Portal:DataDirectory"] = Path.Combine(directory, "portal"),
            ["Portal:JsonLogs"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Accounts:InitialInstructorUserName"] = InstructorUserName,
            ["Accounts:InitialInstructorPassword"] = InstructorPassword,
            ["Labs:Directory"] = Path.Combine(repository, "LabPortal", "Labs"),
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        // This same program, started again in its portal-host mode (apphost, or dotnet plus the dll).
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot find its own executable.");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments.Add(typeof(PortalProcess).Assembly.Location);
        }

        var port = ChildProcess.FreeLoopbackPort();
        arguments.AddRange([PortalHost.Command, "--port", port.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(settings.Select(s => $"{s.Key}={s.Value}"));
        Directory.CreateDirectory(directory);
        var logPath = Path.Combine(directory, "portal.log");
        var child = await ChildProcess.StartAsync(self, arguments, port, logPath, TimeSpan.FromSeconds(120));
        var portal = new PortalProcess(child, logPath);
        try
        {
            await BenchEnvironment.WaitUntilAsync(() => ready(portal._http), readiness, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }

        return portal;
    }

    /// <summary>The host's counters; <paramref name="resetPeaks"/> starts new peak windows after reading; <paramref name="collect"/> runs a full compacting GC first.</summary>
    public async Task<PortalStats> StatsAsync(bool resetPeaks = false, bool collect = false)
    {
        var query = string.Join('&', new[] { resetPeaks ? "reset=1" : null, collect ? "gc=1" : null }.OfType<string>());
        return JsonSerializer.Deserialize<PortalStats>(await _http.GetStringAsync(query.Length > 0 ? "/bench/stats?" + query : "/bench/stats"), Json)
            ?? throw new InvalidOperationException("The portal host answered empty stats.");
    }

    /// <summary>The sandbox's API calls per second since <paramref name="fromUnixSecond"/>.</summary>
    public async Task<List<SecondCount>> CallsPerSecondAsync(long fromUnixSecond) =>
        JsonSerializer.Deserialize<List<SecondCount>>(await _http.GetStringAsync($"/bench/calls-per-second?from={fromUnixSecond}"), Json) ?? [];

    /// <summary>Every learner sandbox account's live resources, by type.</summary>
    public async Task<Dictionary<string, Dictionary<string, int>>> ResourcesAsync() =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(await _http.GetStringAsync("/bench/resources")) ?? [];

    /// <summary>Every finished step run of the class's learners.</summary>
    public async Task<List<StepOutcome>> StepOutcomesAsync(int classId) =>
        JsonSerializer.Deserialize<List<StepOutcome>>(await _http.GetStringAsync($"/bench/step-outcomes?classId={classId}")) ?? [];

    /// <summary>The class's latest reset as the dashboard's progress bar reads it.</summary>
    public async Task<ResetProgressStats> ResetProgressAsync(int classId) =>
        JsonSerializer.Deserialize<ResetProgressStats>(await _http.GetStringAsync($"/bench/reset-progress?classId={classId}"))
        ?? throw new InvalidOperationException("The portal host answered an empty reset progress.");

    /// <summary>How the portal ran, for the report's parameters.</summary>
    public static string Describe(PortalProcess portal, double timeScale) =>
        $"LabPortal's Program in a child process (portal-host) on {portal.Url}, Development environment (as `dotnet run` starts it), SQLite and Hangfire's SQLite storage in a temp data folder, sandbox embedded on free ports, Sandbox:TimeScale {timeScale.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The repository the bench runs in (found from the working folder upwards).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LabPortal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from inside the repository (LabPortal.slnx not found).");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _child.DisposeAsync();
    }
}
