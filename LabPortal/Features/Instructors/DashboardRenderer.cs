using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace LabPortal.Features.Instructors;

/// <summary>Renders the dashboard's fragments to HTML in one language, with the components the page itself uses.</summary>
public sealed class DashboardRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<(string Matrix, string Runs, string Reset)> RenderAsync(ClassDashboard dashboard, string language)
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            try
            {
                var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(DashboardMatrix.Dashboard)] = dashboard });
                var matrix = (await renderer.RenderComponentAsync<DashboardMatrix>(parameters)).ToHtmlString();
                var runs = (await renderer.RenderComponentAsync<DashboardRuns>(parameters)).ToHtmlString();
                var reset = (await renderer.RenderComponentAsync<DashboardReset>(parameters)).ToHtmlString();
                return (matrix, runs, reset);
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        });
    }
}
