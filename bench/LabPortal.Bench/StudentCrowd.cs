using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Playwright;

namespace LabPortal.Bench;

/// <summary>What a crowd of students did: wall time to the last finish, each finisher's time, every interaction, and who did not finish.</summary>
internal sealed record CrowdResult(double WallSeconds, IReadOnlyList<double> StudentSeconds, InteractionLog Log, IReadOnlyList<string> Failures, InteractionLog Documents)
{
    /// <summary>Interactions that wait for a cloud job (the step's Hangfire job, or the portal's checks against the sandbox).</summary>
    public static readonly string[] CloudKinds = ["run-step", "check"];

    /// <summary>The <paramref name="p"/>-th percentile of the interactions without cloud work in them.</summary>
    public double PageOnly(double p) => InteractionLog.Percentile(Log.Entries.Where(e => !CloudKinds.Contains(e.Kind)).Select(e => e.Milliseconds), p);
}

/// <summary>
/// Students complete Lab 1 at once (arriving spread over one reading pause), each a Chromium page in a browser
/// context of its own: join the class, build Lab 1 through the load balancer, the live panel and back, Next, tear down.
/// </summary>
internal static class StudentCrowd
{
    /// <summary>Runs <paramref name="count"/> students named after <paramref name="name"/> in class <paramref name="code"/>, reading <paramref name="think"/> on average before each press, in <paramref name="browser"/>.</summary>
    /// <param name="browser">One headless browser; each student gets a context of its own.</param>
    /// <param name="portalFor">The address student <c>i</c> (1-based) opens: the portal, a node of its own, or nginx in front of the nodes.</param>
    /// <param name="code">The class's join code.</param>
    /// <param name="name">The phase's name, the start of every student's name.</param>
    /// <param name="count">How many students.</param>
    /// <param name="think">The average reading pause before each press (zero: none).</param>
    public static async Task<CrowdResult> RunAsync(IBrowser browser, Func<int, Uri> portalFor, string code, string name, int count, TimeSpan think)
    {
        var log = new InteractionLog();
        var documents = new InteractionLog();
        var failures = new ConcurrentQueue<string>();
        var times = new ConcurrentQueue<double>();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
        {
            var studentName = $"{name}-{i:00}-{Guid.NewGuid().ToString("N")[..6]}";
            var pacing = new Pacing(think, seed: i);
            await Task.Delay(pacing.Arrival(i - 1, count));
            await using var context = await Chromium.NewContextAsync(browser, portalFor(i));
            var student = new WizardStudent(await context.NewPageAsync(), studentName, WizardStudent.Lab1, log, pacing, documents);
            var watch = Stopwatch.StartNew();
            try
            {
                await student.JoinAsync(code);
                await student.BuildLab1Async(throughLoadBalancer: true);
                await student.VisitLivePanelAsync("verify-traffic");
                await student.NextAsync();
                await student.TearDownAsync();
                times.Enqueue(watch.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or PlaywrightException)
            {
                failures.Enqueue($"{studentName}: {e.Message.Split('\n')[0]}");
            }
        }));
        wall.Stop();
        return new CrowdResult(wall.Elapsed.TotalSeconds, [.. times], log, [.. failures], documents);
    }
}
