using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;

namespace LabPortal.Features.Labs.Definitions;

/// <summary>Renders a step's Markdown with the learner's values in place of the placeholders.</summary>
public static class LabMarkdown
{
    // Raw HTML is off: a value a learner typed (say, a page body) is shown, never run. No
    // "advanced extensions": their generic attributes would read a placeholder such as {name} as
    // an attribute list and make it vanish.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseListExtras()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    /// <summary>Fills <c>{name}</c> and <c>{outputs.name}</c>; an unknown placeholder stays as written.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        LabCatalog.PlaceholderRegex().Replace(text, match => values.TryGetValue(match.Groups["name"].Value, out var value) ? value : match.Value);

    /// <summary>
    /// The step's HTML. Its headings are one level down (<c>#</c> renders as h2, <c>##</c> as h3, up
    /// to h6): the page's own step title is its one h1, and the text sits below it in the outline.
    /// </summary>
    public static string ToHtml(string markdown, IReadOnlyDictionary<string, string> values)
    {
        var document = Markdown.Parse(Fill(markdown, values), Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }

        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }
}
