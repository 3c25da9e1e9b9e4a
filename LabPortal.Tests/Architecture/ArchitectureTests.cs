using System.Reflection;
using LabPortal.Aws.Elbv2;
using LabPortal.Sandbox;
using LabPortal.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace LabPortal.Tests.Architecture;

/// <summary>
/// ARCHITECTURE.md's dependency rules, held by the build: the sandbox and the AWS clients never reference
/// each other or the web app (they meet only on the wire); inside the web app features depend on
/// Infrastructure and never the other way; no two features depend on each other in a cycle; components
/// call services, never AWS clients; features declare the services they use instead of looking them up in a
/// container; no two namespaces of the sandbox or of the AWS clients depend on each other in a cycle; no
/// hand-written source file is longer than <see cref="MaxSourceLines"/> lines.
/// <see cref="ArchitectureRulesFailTests"/> shows each check failing on code that breaks it.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;
    private static readonly Assembly Sandbox = typeof(SandboxEndpoints).Assembly;
    private static readonly Assembly AwsClients = typeof(AmazonElasticLoadBalancingV2Client).Assembly;

    /// <summary>Past this a file holds more than one job (issue 20); generated files are left out.</summary>
    public const int MaxSourceLines = 400;

    [Fact]
    public void Sandbox_references_neither_the_aws_clients_nor_the_web_app()
    {
        Assert.Empty(ArchitectureRules.ReferencedAmong(Sandbox, AwsClients.GetName().Name!, Web.GetName().Name!));
        Assert.Empty(ArchitectureRules.DependingOn(Sandbox, "LabPortal.Sandbox", [.. ArchitectureRules.NamespacesBelow(AwsClients, "LabPortal"), .. WebNamespaces()]));
    }

    [Fact]
    public void Aws_clients_reference_neither_the_sandbox_nor_the_web_app()
    {
        Assert.Empty(ArchitectureRules.ReferencedAmong(AwsClients, Sandbox.GetName().Name!, Web.GetName().Name!));
        Assert.Empty(ArchitectureRules.DependingOn(AwsClients, "LabPortal.Aws", [.. ArchitectureRules.NamespacesBelow(Sandbox, "LabPortal"), .. WebNamespaces()]));
    }

    [Fact]
    public void Infrastructure_never_depends_on_features()
    {
        Assert.Empty(ArchitectureRules.DependingOn(Web, "LabPortal.Infrastructure", "LabPortal.Features"));
    }

    [Fact]
    public void Features_depend_on_each_other_without_cycles()
    {
        var graph = ArchitectureRules.FeatureDependencies(Web, "LabPortal.Features");

        // The check looked at every feature folder, and saw the dependencies there are (Cleanup resets through LabRuns' teardown).
        Assert.Equal(["Accounts", "Classes", "Cleanup", "Home", "Instructors", "LabRuns", "Labs", "LivePanel", "Preferences"], graph.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("LabRuns", graph["Cleanup"]);
        Assert.Empty(ArchitectureRules.Cycles(graph));
    }

    [Fact]
    public void Components_use_no_aws_client()
    {
        // The rule sees every component reflection sees (so none escapes it), then finds none that names an AWS client.
        var components = Web.GetTypes().Where(t => typeof(ComponentBase).IsAssignableFrom(t) && t.Namespace?.StartsWith("LabPortal", StringComparison.Ordinal) == true)
            .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(components);
        Assert.Equal(components, ArchitectureRules.ComponentsSeen(Web, "LabPortal"));
        Assert.Empty(ArchitectureRules.ComponentsUsingAwsClients(Web, "LabPortal"));
    }

    [Fact]
    public void Features_declare_their_services_instead_of_looking_them_up()
    {
        Assert.Empty(ArchitectureRules.LookingUpServices(Web, "LabPortal.Features"));
    }

    [Fact]
    public void Sandbox_namespaces_depend_on_each_other_without_cycles()
    {
        var graph = ArchitectureRules.NamespaceDependencies(Sandbox, "LabPortal.Sandbox");

        // The check saw the namespaces and the dependencies there are: the machine runs the shell, which runs on the guest.
        Assert.Contains("LabPortal.Sandbox.Runtime.Shell", graph["LabPortal.Sandbox.Runtime"]);
        Assert.Contains("LabPortal.Sandbox.Runtime.Guest", graph["LabPortal.Sandbox.Runtime.Shell"]);
        Assert.Empty(ArchitectureRules.Cycles(graph));
    }

    [Fact]
    public void Aws_client_namespaces_depend_on_each_other_without_cycles()
    {
        var graph = ArchitectureRules.NamespaceDependencies(AwsClients, "LabPortal.Aws");

        Assert.Contains("LabPortal.Aws.Core", graph["LabPortal.Aws.Elbv2"]);
        Assert.Empty(ArchitectureRules.Cycles(graph));
    }

    [Theory]
    [InlineData("LabPortal")]
    [InlineData("LabPortal.Aws")]
    [InlineData("LabPortal.Sandbox")]
    public void No_hand_written_source_file_is_longer_than_the_limit(string project)
    {
        var directory = Path.Combine(Artifacts.RepositoryRoot(), project);

        // The check reads the project's files (a lower limit finds some), then finds none past the limit.
        Assert.NotEmpty(ArchitectureRules.LongSourceFiles(directory, 100));
        Assert.Empty(ArchitectureRules.LongSourceFiles(directory, MaxSourceLines));
    }

    /// <summary>The web app's namespaces below <c>LabPortal</c> (Features, Infrastructure, Components, ...): what the other two must never name.</summary>
    private static string[] WebNamespaces()
    {
        var namespaces = ArchitectureRules.NamespacesBelow(Web, "LabPortal");
        Assert.Contains("LabPortal.Features", namespaces);
        return [.. namespaces];
    }
}
