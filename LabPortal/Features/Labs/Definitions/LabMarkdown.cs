using Markdig;

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

    public static string ToHtml(string markdown, IReadOnlyDictionary<string, string> values) =>
        Markdown.ToHtml(Fill(markdown, values), Pipeline);
}
