using AngleSharp.Dom;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>Reads the dashboard's grids as rendered (prerendered HTML or a bUnit render): rows are found by the learner or run they name.</summary>
public static class DashboardHtml
{
    /// <summary>The grid row of <paramref name="learnerId"/> in lab <paramref name="labId"/>'s grid; null when the learner has no row there.</summary>
    public static IElement? LearnerRow(IParentNode page, string labId, int learnerId) =>
        page.QuerySelectorAll($"#matrix-{labId} tr").FirstOrDefault(tr => tr.QuerySelector($"[data-learner='{learnerId}']") is not null);

    /// <summary>Step id to (data-state, the words shown) for the learner's row.</summary>
    public static Dictionary<string, (string? State, string Words)> Cells(IParentNode page, string labId, int learnerId) =>
        (LearnerRow(page, labId, learnerId) ?? throw new InvalidOperationException($"No row of learner {learnerId} in {labId}"))
            .QuerySelectorAll("td [data-step][data-state]")
            .ToDictionary(cell => cell.GetAttribute("data-step")!, cell => (cell.GetAttribute("data-state"), cell.TextContent.Trim()));

    /// <summary>The runs grid's row of a run.</summary>
    public static IElement RunRow(IParentNode page, int runId) =>
        page.QuerySelectorAll("#runs-table tr").First(tr => tr.QuerySelector($"[data-run='{runId}'][data-status]") is not null);
}
