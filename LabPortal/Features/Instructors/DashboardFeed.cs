using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace LabPortal.Features.Instructors;

/// <summary>
/// The dashboard's server-sent events for one open tab: every interval it reads the class from the
/// database, renders the matrix and runs fragments in the tab's language and sends each one that
/// changed (event names <c>matrix</c>, <c>runs</c> and <c>reset</c>, swapped in by htmx's SSE extension). Reading
/// the database is all it does, so unlike the live panel there is no cloud budget to share between
/// tabs; a class has a handful of instructors.
/// </summary>
public sealed partial class DashboardFeed(IServiceScopeFactory scopes, DashboardRenderer renderer, IConfiguration configuration, TimeProvider time, ILogger<DashboardFeed> logger)
{
    public TimeSpan Interval { get; } = TimeSpan.FromMilliseconds(configuration.GetValue("Instructors:DashboardIntervalMilliseconds", 2000));

    public async IAsyncEnumerable<SseItem<string>> StreamAsync(int classId, string language, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? lastMatrix = null, lastRuns = null, lastReset = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            (string Matrix, string Runs, string Reset)? rendered = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var dashboard = await scope.ServiceProvider.GetRequiredService<InstructorService>().GetDashboardAsync(classId, cancellationToken);
                if (dashboard is null)
                {
                    yield break;
                }

                rendered = await renderer.RenderAsync(dashboard, language);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRenderFailed(e, classId);
            }

            if (rendered is { } fragments)
            {
                if (fragments.Matrix != lastMatrix)
                {
                    lastMatrix = fragments.Matrix;
                    yield return new SseItem<string>(fragments.Matrix, "matrix");
                }

                if (fragments.Runs != lastRuns)
                {
                    lastRuns = fragments.Runs;
                    yield return new SseItem<string>(fragments.Runs, "runs");
                }

                if (fragments.Reset != lastReset)
                {
                    lastReset = fragments.Reset;
                    yield return new SseItem<string>(fragments.Reset, "reset");
                }
            }

            try
            {
                await Task.Delay(Interval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard stream of class {ClassId} could not render")]
    private partial void LogRenderFailed(Exception exception, int classId);
}
