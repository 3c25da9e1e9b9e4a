using System.Diagnostics;
using System.Globalization;
using LabPortal.Sandbox.Runtime;
using LabPortal.Sandbox.Runtime.Guest;
using Microsoft.Extensions.Logging.Abstractions;

// Boots N machines whose user data starts nginx (as a class of N learners would), then reports
// per machine: boot time including the listener, first request, memory, threads, and the time
// of the labs' fault (systemctl stop) and its repair (systemctl start).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
const string UserData = """
    #!/bin/bash
    yum install -y nginx
    systemctl enable --now nginx
    echo "<h1>$(curl -s http://169.254.169.254/latest/meta-data/instance-id)</h1>" > /usr/share/nginx/html/index.html
    """;

var factory = new MachineFactory(NullLoggerFactory.Instance);
using var http = new HttpClient();
static InstanceMetadata Metadata(int i) => new(
    string.Create(CultureInfo.InvariantCulture, $"i-{i:x17}"), "ap-northeast-2", "ap-northeast-2a", "t3.micro", "ami-bench",
    string.Create(CultureInfo.InvariantCulture, $"172.31.{i / 250}.{(i % 250) + 1}"),
    string.Create(CultureInfo.InvariantCulture, $"ip-172-31-{i / 250}-{(i % 250) + 1}.ap-northeast-2.compute.internal"), null, null);

// Warm up the JIT and Kestrel's statics so they are not charged to the first machine.
await using (var warm = factory.Create(Metadata(99_999), null))
{
    await warm.BootAsync(UserData, firstBoot: true);
    await http.GetStringAsync(warm.GetHttpEndpoint(80));
}

using var process = Process.GetCurrentProcess();
Settle(process);
var workingSet = process.WorkingSet64;
var heap = GC.GetTotalMemory(forceFullCollection: true);
var threads = process.Threads.Count;

var machines = new List<IMachine>();
var clock = Stopwatch.StartNew();
for (var i = 0; i < count; i++)
{
    var machine = factory.Create(Metadata(i), null);
    await machine.BootAsync(UserData, firstBoot: true);
    machines.Add(machine);
}

var boot = clock.Elapsed;
clock.Restart();
foreach (var machine in machines)
{
    await http.GetStringAsync(machine.GetHttpEndpoint(80));
}

var firstRequest = clock.Elapsed;
Settle(process);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{count} machines: boot with listener {boot.TotalMilliseconds / count:F2} ms, first GET {firstRequest.TotalMilliseconds / count:F2} ms, " +
    $"working set +{(process.WorkingSet64 - workingSet) / 1024 / count} KiB, managed heap +{(GC.GetTotalMemory(true) - heap) / 1024 / count} KiB, " +
    $"threads +{process.Threads.Count - threads} (per machine averages; threads in total)"));

clock.Restart();
await Parallel.ForEachAsync(machines, async (machine, cancellationToken) => await machine.RunScriptAsync("systemctl stop nginx", cancellationToken));
var stop = clock.Elapsed;
clock.Restart();
await Parallel.ForEachAsync(machines, async (machine, cancellationToken) => await machine.RunScriptAsync("systemctl start nginx", cancellationToken));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"systemctl stop {stop.TotalMilliseconds / count:F2} ms, systemctl start {clock.Elapsed.TotalMilliseconds / count:F2} ms (per machine, all in parallel)"));

foreach (var machine in machines)
{
    await machine.DisposeAsync();
}

static void Settle(Process process)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    process.Refresh();
}
