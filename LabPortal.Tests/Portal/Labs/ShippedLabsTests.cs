using LabPortal.Features.Labs.Definitions;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>The labs the portal ships load cleanly through the same catalog the portal uses.</summary>
public sealed class ShippedLabsTests
{
    private static readonly string ShippedLabs = Path.Combine(Artifacts.RepositoryRoot(), "LabPortal", "Labs");

    [Fact]
    public void Shipped_labs_load_without_problems()
    {
        var catalog = LabCatalog.Load(ShippedLabs);

        Assert.Equal(["alb-two-web-servers", "asg-behind-alb"], catalog.Labs.Select(l => l.Id));
    }

    [Theory]
    [InlineData("alb-two-web-servers")]
    [InlineData("asg-behind-alb")]
    public void Every_step_has_instructions_in_both_languages(string labId)
    {
        var lab = LabCatalog.Load(ShippedLabs).Find(labId)!;

        foreach (var step in lab.Steps)
        {
            Assert.False(string.IsNullOrWhiteSpace(lab.Instructions[(step.Id, "en")]), $"{step.Id}: English instructions are empty.");
            Assert.False(string.IsNullOrWhiteSpace(lab.Instructions[(step.Id, "ko")]), $"{step.Id}: Korean instructions are empty.");
        }
    }

    [Fact]
    public void Lab_one_mirrors_the_blog_post_pages()
    {
        var lab = LabCatalog.Load(ShippedLabs).Find("alb-two-web-servers")!;
        var instances = lab.Step("instances")!;

        Assert.Contains("gosim web page 01", instances.Parameters.Single(p => p.Name == "page1Html").Default, StringComparison.Ordinal);
        Assert.Contains("gosim web page 02", instances.Parameters.Single(p => p.Name == "page2Html").Default, StringComparison.Ordinal);
        Assert.Equal(["ap-northeast-2a", "ap-northeast-2c"], instances.Parameters.Where(p => p.Type == ParameterType.Az).Select(p => p.Default));
    }
}
