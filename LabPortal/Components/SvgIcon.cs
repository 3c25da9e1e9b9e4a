using Microsoft.AspNetCore.Components;

namespace LabPortal.Components;

/// <summary>
/// A Material icon as inline SVG markup: one render-tree frame instead of a MudIcon component, for
/// the pages a student keeps open for a long time (each open tab holds its components on the server).
/// Decorative: hidden from screen readers, as MudIcon's icons are by default.
/// </summary>
public static class SvgIcon
{
    public static MarkupString Small(string path, string? colourClass = null) =>
        new($"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-small{(colourClass is null ? "" : " " + colourClass)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{path}</svg>");
}
