using System.Net;
using LabPortal.Features.Labs.Definitions;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// A screen reader lists a page's headings: every step page of the shipped labs has exactly one h1
/// (the step's title), shown once (the text's own title line is not repeated), and the step's own
/// Markdown headings sit below it.
/// </summary>
public sealed class StepPageHeadingsTests : IAsyncLifetime
{
    private static readonly string ShippedLabs = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal", "Labs");

    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        // The shipped labs start only on a cloud that can run them: the in-process sandbox (nothing is created here).
        _factory = new PortalFactory(_data.Path, new Dictionary<string, string?>
        {
            ["Labs:Directory"] = ShippedLabs,
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("alb-two-web-servers", "en")]
    [InlineData("alb-two-web-servers", "ko")]
    [InlineData("asg-behind-alb", "en")]
    [InlineData("asg-behind-alb", "ko")]
    public async Task Every_step_page_has_exactly_one_h1_the_step_title(string labId, string language)
    {
        var lab = LabCatalog.Load(ShippedLabs).Find(labId)!;
        var code = await Students.CreateClassAsync(_factory, "H1" + language.ToUpperInvariant() + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var student = await Students.JoinAsync(_factory, code, $"Reader {labId} {language}", language);
        var (started, _) = await student.SubmitAsync("/labs", $"#start-{labId}", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        var runUrl = location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/');
        Assert.StartsWith("/runs/", runUrl, StringComparison.Ordinal);

        foreach (var step in lab.Steps)
        {
            var (response, page) = await student.GetAsync($"{runUrl}/steps/{step.Id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var h1 = page.QuerySelectorAll("h1");
            Assert.True(h1.Length == 1, $"{step.Id} ({language}) has {h1.Length} h1 headings: {string.Join(" | ", h1.Select(h => h.TextContent.Trim()))}");
            Assert.Equal(language == "ko" ? step.Title.Ko : step.Title.En, h1[0].TextContent.Trim());

            // The Markdown's own title line is not shown a second time; its other headings sit one level down.
            var markdown = lab.Instructions[(step.Id, language)];
            var markdownTitle = markdown.Split('\n')[0].TrimStart('#').Trim().Replace("`", "", StringComparison.Ordinal);
            Assert.DoesNotContain(page.QuerySelectorAll("#instructions h2"), h => h.TextContent.Trim() == markdownTitle);
            var subheadings = markdown.Split('\n').Count(l => l.StartsWith("## ", StringComparison.Ordinal));
            Assert.Equal(subheadings, page.QuerySelectorAll("#instructions h3").Length);
        }
    }
}
