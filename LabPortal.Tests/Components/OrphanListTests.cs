using Bunit;
using LabPortal.Features.Cleanup;
using LabPortal.Features.LabRuns.Teardown;
using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LabPortal.Tests.Components;

/// <summary>The sweeper's list (issue 13): grouped by learner and resource type, deleted only after a confirmation naming the resources.</summary>
public sealed class OrphanListTests : ComponentTestContext
{
    private static Orphan Offered(int userId, string learner, ResourceKind kind, string id, OrphanReason reason = OrphanReason.NoRun, int? runId = null) =>
        new(userId, learner, new TaggedResource(kind, id, id, "ap-northeast-2", runId?.ToString(System.Globalization.CultureInfo.InvariantCulture), userId.ToString(System.Globalization.CultureInfo.InvariantCulture), null), reason) { RunId = runId };

    private static readonly Orphan[] Orphans =
    [
        Offered(7, "Bora", ResourceKind.SecurityGroup, "sg-0aaa"),
        Offered(3, "Alex", ResourceKind.Instance, "i-0bbb", OrphanReason.RunTornDown, 41),
        Offered(7, "Bora", ResourceKind.Instance, "i-0ccc"),
        Offered(3, "Alex", ResourceKind.Instance, "i-0ddd"),
        Offered(7, "Bora", ResourceKind.Instance, "i-0eee", OrphanReason.LearnerLeft, 42),
    ];

    [Fact]
    public void OrphanList_groups_by_learner_then_resource_type_and_says_why_each_is_offered()
    {
        var list = Context.Render<OrphanList>(p => p.Add(l => l.Orphans, Orphans));

        Assert.Equal(["Alex (2)", "Bora (3)"], list.FindAll(".learner-group").Select(h => h.TextContent.Trim()).ToList());
        var bora = list.Find("[data-learner='7']");
        Assert.Equal(["Instances (2)", "Security groups (1)"], bora.QuerySelectorAll(".kind-group").Select(h => h.TextContent.Trim()).ToList());
        Assert.Equal(["i-0ccc", "i-0eee", "sg-0aaa"], bora.QuerySelectorAll("tr[data-resource]").Select(r => r.GetAttribute("data-resource")).ToList());
        Assert.Equal(["i-0bbb", "i-0ddd"], list.Find("[data-learner='3']").QuerySelectorAll("tr[data-resource]").Select(r => r.GetAttribute("data-resource")).ToList());
        Assert.Contains("run #41 is torn down", list.Find("tr[data-resource='i-0bbb'] .orphan-reason").TextContent, StringComparison.Ordinal);
        Assert.Contains("learner who left", list.Find("tr[data-resource='i-0eee'] .orphan-reason").TextContent, StringComparison.Ordinal);
        Assert.Contains("No run of the portal made it", list.Find("tr[data-resource='sg-0aaa'] .orphan-reason").TextContent, StringComparison.Ordinal);
        Assert.True(list.Find("#delete-selected").HasAttribute("disabled"));
    }

    [Fact]
    public void OrphanList_deletes_the_chosen_resources_only_after_a_confirmation_that_names_them()
    {
        var deleted = new List<IReadOnlyList<OrphanKey>>();
        var dialogs = Context.Render<MudDialogProvider>();
        var list = Context.Render<OrphanList>(p => p
            .Add(l => l.Orphans, Orphans)
            .Add(l => l.OnDelete, EventCallback.Factory.Create<IReadOnlyList<OrphanKey>>(this, keys => deleted.Add(keys))));

        list.Find("tr[data-resource='i-0ddd'] input[type=checkbox]").Change(true);
        list.Find("tr[data-resource='sg-0aaa'] input[type=checkbox]").Change(true);
        Assert.Contains("(2)", list.Find("#delete-selected").TextContent, StringComparison.Ordinal);

        // Cancelled: nothing is deleted.
        list.Find("#delete-selected").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(["i-0ddd", "sg-0aaa"], dialogs.FindAll("#confirm-resources li").Select(li => li.GetAttribute("data-resource")).Order(StringComparer.Ordinal).ToList()));
        Assert.Contains("2 resource(s) will be deleted", dialogs.Find("#confirm-text").TextContent, StringComparison.Ordinal);
        dialogs.Find("#confirm-cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#confirm-resources")));
        Assert.Empty(deleted);

        // Confirmed: exactly the named ones.
        list.Find("#delete-selected").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("#confirm-yes")));
        dialogs.Find("#confirm-yes").Click();
        list.WaitForAssertion(() => Assert.Single(deleted));
        Assert.Equal(
            [new OrphanKey(3, ResourceKind.Instance, "i-0ddd"), new OrphanKey(7, ResourceKind.SecurityGroup, "sg-0aaa")],
            deleted[0].OrderBy(k => k.ResourceId, StringComparer.Ordinal).ToList());
        list.WaitForAssertion(() => Assert.Contains("(0)", list.Find("#delete-selected").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void OrphanList_speaks_Korean_to_a_Korean_instructor()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("ko");

        var list = Context.Render<OrphanList>(p => p.Add(l => l.Orphans, Orphans));

        Assert.Contains("인스턴스 (2)", list.Find("[data-learner='7'] .kind-group").TextContent, StringComparison.Ordinal);
        Assert.Contains("41번 실행은 이미 정리됨", list.Find("tr[data-resource='i-0bbb'] .orphan-reason").TextContent, StringComparison.Ordinal);
    }
}
