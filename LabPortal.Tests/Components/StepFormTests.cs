using Bunit;
using LabPortal.Features.LabRuns;
using LabPortal.Tests.E2E;

namespace LabPortal.Tests.Components;

public sealed class StepFormTests : ComponentTestContext
{
    private static readonly StepState TargetGroup = new(Lab1Flow.Lab.Step("target-group")!, 5, null, Unlocked: true, Done: false);

    private static Dictionary<string, string?> Defaults(Action<Dictionary<string, string?>>? change = null)
    {
        var values = TargetGroup.Definition.Parameters.ToDictionary(p => p.Name, p => p.Default);
        change?.Invoke(values);
        return values;
    }

    [Fact]
    public void StepForm_shows_field_and_cross_field_errors_beside_the_fields_and_focuses_the_summary_when_values_break_AWS_rules()
    {
        IReadOnlyDictionary<string, string?>? sent = null;
        var form = Context.Render<StepForm>(p => p
            .Add(f => f.Step, TargetGroup)
            .Add(f => f.InitialValues, Defaults(v =>
            {
                v["targetGroupName"] = "web tg!";
                v["healthCheckIntervalSeconds"] = "5";
                v["healthCheckTimeoutSeconds"] = "5";
                v["matcher"] = "200-";
            }))
            .Add(f => f.OnSubmit, values => sent = values));

        form.Find("#action-form").Submit();

        Assert.Null(sent);
        var summary = form.Find("#form-errors");
        Assert.Equal("-1", summary.GetAttribute("tabindex"));
        var listed = summary.QuerySelectorAll("li").Select(li => li.TextContent).ToList();
        Assert.Equal(3, listed.Count);
        Assert.Contains(listed, t => t.Contains("letters, digits and hyphens", StringComparison.Ordinal));
        Assert.Contains(listed, t => t.Contains("shorter than the interval (5 s)", StringComparison.Ordinal));
        Assert.Contains(listed, t => t.Contains("a range (200-299)", StringComparison.Ordinal));
        // Each message also sits beside its own field.
        Assert.Contains("shorter than the interval", form.Find("[data-parameter=healthCheckTimeoutSeconds]").TextContent, StringComparison.Ordinal);
        Assert.Contains("a range (200-299)", form.Find("[data-parameter=matcher]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("value(s) need fixing", form.Find("[data-parameter=healthCheckIntervalSeconds]").TextContent, StringComparison.Ordinal);
        Context.JSInterop.VerifyFocusAsyncInvoke();
    }

    [Fact]
    public void StepForm_sends_the_values_when_every_rule_passes_and_shows_what_the_service_refused()
    {
        IReadOnlyDictionary<string, string?>? sent = null;
        var form = Context.Render<StepForm>(p => p
            .Add(f => f.Step, TargetGroup)
            .Add(f => f.InitialValues, Defaults())
            .Add(f => f.OnSubmit, values => sent = values));

        form.Find("#action-form").Submit();

        Assert.NotNull(sent);
        Assert.Equal(Defaults()["targetGroupName"], sent!["targetGroupName"]);
        Assert.Empty(form.FindAll("#form-errors"));

        // A refusal from the service (e.g. a second tab already started the step) shows in the summary too, values kept.
        form.Render(p => p.Add(f => f.ServerErrors, new Dictionary<string, string> { [""] = "This step is already running." }));
        Assert.Contains("This step is already running.", form.Find("#form-errors").TextContent, StringComparison.Ordinal);
        Assert.Equal(Defaults()["targetGroupName"], form.Find("#p-targetGroupName").GetAttribute("value"));
    }
}
