using System.Reflection;
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
}
