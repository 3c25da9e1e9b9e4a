using System.Reflection;
using LabPortal.Tests.Architecture.Samples.Lookups.Features.Gamma;
using LabPortal.Tests.Architecture.Samples.WrongAws;
using LabPortal.Tests.Architecture.Samples.WrongSandbox;
using LabPortal.Tests.Architecture.Samples.WrongWeb.Components;
using LabPortal.Tests.Architecture.Samples.WrongWeb.Infrastructure;

namespace LabPortal.Tests.Architecture;

/// <summary>
/// Each check of <see cref="ArchitectureRules"/>, run exactly as <see cref="ArchitectureTests"/> runs it, on
/// samples in this assembly (<c>Architecture/Samples</c>) that break the rule once: the check names the
/// offending type, and lets the allowed one through.
/// </summary>
public sealed class ArchitectureRulesFailTests
{
    private static readonly Assembly Samples = typeof(ArchitectureRulesFailTests).Assembly;
    private const string WrongWeb = "LabPortal.Tests.Architecture.Samples.WrongWeb";

    [Fact]
    public void Sandbox_rule_fails_on_a_type_that_uses_an_aws_client()
    {
        Assert.Equal([typeof(SandboxTypeUsingAClient).FullName!],
            ArchitectureRules.DependingOn(Samples, typeof(SandboxTypeUsingAClient).Namespace!, "LabPortal.Aws", "LabPortal.Features", "LabPortal.Infrastructure"));
        // This assembly references the AWS clients and the sandbox, as a sandbox that broke the rule would.
        Assert.Equal(["LabPortal.Aws", "LabPortal.Sandbox"], ArchitectureRules.ReferencedAmong(Samples, "LabPortal.Aws", "LabPortal.Sandbox"));
    }

    [Fact]
    public void Aws_clients_rule_fails_on_a_type_that_uses_the_sandbox()
    {
        Assert.Equal([typeof(ClientTypeUsingTheSandbox).FullName!],
            ArchitectureRules.DependingOn(Samples, typeof(ClientTypeUsingTheSandbox).Namespace!, "LabPortal.Sandbox", "LabPortal.Features", "LabPortal.Infrastructure"));
    }

    [Fact]
    public void Infrastructure_rule_fails_on_infrastructure_that_uses_a_feature()
    {
        Assert.Equal([typeof(InfrastructureUsingAFeature).FullName!],
            ArchitectureRules.DependingOn(Samples, $"{WrongWeb}.Infrastructure", $"{WrongWeb}.Features"));
    }

    [Fact]
    public void Feature_cycle_rule_fails_on_two_features_that_use_each_other()
    {
        var graph = ArchitectureRules.FeatureDependencies(Samples, $"{WrongWeb}.Features");

        Assert.Equal(["Beta"], graph["Alpha"]);
        Assert.Equal(["Alpha"], graph["Beta"]);
        Assert.Equal(["Alpha"], graph["Gamma"]);
        Assert.Equal(["Alpha <-> Beta"], ArchitectureRules.Cycles(graph));
    }

    [Fact]
    public void Feature_cycle_rule_finds_a_longer_cycle()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Equal(["A <-> B <-> C"], ArchitectureRules.Cycles(graph));
    }

    [Fact]
    public void Component_rule_fails_on_components_that_use_aws_clients()
    {
        var components = $"{WrongWeb}.Components";

        Assert.Equal([typeof(PanelCallingEc2).FullName!, typeof(PanelCatchingAwsErrors).FullName!, typeof(PanelUsingAService).FullName!],
            ArchitectureRules.ComponentsSeen(Samples, components));
        Assert.Equal([typeof(PanelCallingEc2).FullName!, typeof(PanelCatchingAwsErrors).FullName!],
            ArchitectureRules.ComponentsUsingAwsClients(Samples, components));
    }

    [Fact]
    public void Lookup_rule_fails_on_features_that_look_services_up()
    {
        const string features = "LabPortal.Tests.Architecture.Samples.Lookups.Features";

        Assert.Equal([typeof(LookingUp).FullName!, typeof(UsingRequestServices).FullName!],
            ArchitectureRules.LookingUpServices(Samples, features, $"{features}.Exempt"));
        // Without the exemption the exempt one is found too; the one that declares its dependency never is.
        Assert.Equal(3, ArchitectureRules.LookingUpServices(Samples, features).Count);
    }

    [Fact]
    public void Namespace_cycle_rule_fails_on_two_namespaces_that_use_each_other()
    {
        const string root = "LabPortal.Tests.Architecture.Samples.Cycles";
        var graph = ArchitectureRules.NamespaceDependencies(Samples, root);

        // Left names Right only in a method body and Right names Left only as a generic argument: both are seen.
        Assert.Equal([$"{root}.Right"], graph[$"{root}.Left"]);
        Assert.Equal([$"{root}.Left"], graph[$"{root}.Right"]);
        Assert.Equal([$"{root}.Left"], graph[$"{root}.Outside"]);
        Assert.Equal([$"{root}.Left <-> {root}.Right"], ArchitectureRules.Cycles(graph));
    }

    [Fact]
    public void Long_file_rule_fails_on_a_hand_written_file_past_the_limit()
    {
        var directory = Directory.CreateTempSubdirectory("long-files-");
        try
        {
            static void Write(string path, int lines, string? firstLine = null) =>
                File.WriteAllLines(path, [.. (firstLine is null ? [] : new[] { firstLine }), .. Enumerable.Range(1, lines - (firstLine is null ? 0 : 1)).Select(i => $"// line {i}")]);
            Directory.CreateDirectory(Path.Combine(directory.FullName, "Pages"));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "Migrations"));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "obj"));
            Write(Path.Combine(directory.FullName, "Pages", "TooLong.razor"), ArchitectureTests.MaxSourceLines + 1);
            Write(Path.Combine(directory.FullName, "TooLong.cs"), ArchitectureTests.MaxSourceLines + 50);
            Write(Path.Combine(directory.FullName, "JustRight.cs"), ArchitectureTests.MaxSourceLines);
            Write(Path.Combine(directory.FullName, "Generated.cs"), 900, "// <generated by codegen; do not edit by hand />");
            Write(Path.Combine(directory.FullName, "Tool.cs"), 900, "// <auto-generated />");
            Write(Path.Combine(directory.FullName, "Migrations", "Baseline.Designer.cs"), 900);
            Write(Path.Combine(directory.FullName, "obj", "Page.g.cs"), 900);
            Write(Path.Combine(directory.FullName, "notes.txt"), 900);

            Assert.Equal([$"Pages/TooLong.razor: {ArchitectureTests.MaxSourceLines + 1}", $"TooLong.cs: {ArchitectureTests.MaxSourceLines + 50}"], ArchitectureRules.LongSourceFiles(directory.FullName, ArchitectureTests.MaxSourceLines));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
