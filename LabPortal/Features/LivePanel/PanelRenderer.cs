using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace LabPortal.Features.LivePanel;

/// <summary>Renders the panel's fragments to HTML with the same components the page uses.</summary>
public sealed class PanelRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public static readonly string[] Languages = ["en", "ko"];

    public async Task<RenderedPanel> RenderAsync(int runId, PanelSnapshot snapshot)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        foreach (var language in Languages)
        {
            result[language] = await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var previous = CultureInfo.CurrentUICulture;
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
                try
                {
                    var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(TargetsTable.Snapshot)] = snapshot });
                    var targets = (await renderer.RenderComponentAsync<TargetsTable>(parameters)).ToHtmlString();
                    var requests = (await renderer.RenderComponentAsync<RequestsList>(parameters)).ToHtmlString();
                    return (targets, requests);
                }
                finally
                {
                    CultureInfo.CurrentUICulture = previous;
                }
            });
        }

        return new RenderedPanel(result);
    }
}
