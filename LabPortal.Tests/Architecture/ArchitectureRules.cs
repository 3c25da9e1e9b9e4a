using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using NetArchTest.Rules;

namespace LabPortal.Tests.Architecture;

/// <summary>
/// The dependency rules of ARCHITECTURE.md as checks over any assembly and namespace root, so the same
/// check runs against the product (<see cref="ArchitectureTests"/>) and against deliberately wrong
/// samples (<see cref="ArchitectureRulesFailTests"/>): a rule that cannot fail is no rule.
/// Each check returns what breaks the rule (empty when it holds).
/// </summary>
public static class ArchitectureRules
{
    /// <summary>What an AWS client is, for a component: the AWS SDK, and the clients of LabPortal.Aws with their requests, responses and transport.</summary>
    public static readonly string[] AwsClientNamespaces = ["Amazon", "LabPortal.Aws.Core", "LabPortal.Aws.Elbv2", "LabPortal.Aws.AutoScaling"];

    /// <summary>The assemblies among <paramref name="forbidden"/> that <paramref name="assembly"/> references.</summary>
    public static IReadOnlyList<string> ReferencedAmong(Assembly assembly, params string[] forbidden) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").Where(forbidden.Contains).Order(StringComparer.Ordinal)];

    /// <summary>Types in <paramref name="inNamespace"/> (and below) that depend on any of <paramref name="forbidden"/> (namespaces, and below).</summary>
    public static IReadOnlyList<string> DependingOn(Assembly assembly, string inNamespace, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).That().ResideInNamespaceMatching(Below(inNamespace)).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        return Failing(result);
    }

    /// <summary>
    /// The namespaces just below <paramref name="root"/> that an assembly's own types live in (what another assembly must not
    /// name). Only below the root: the compiler adds attribute types of other namespaces to every assembly.
    /// </summary>
    public static IReadOnlyList<string> NamespacesBelow(Assembly assembly, string root) =>
        [.. assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith(root + ".", StringComparison.Ordinal))
            .Select(ns => root + "." + ns[(root.Length + 1)..].Split('.')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The features under <paramref name="featuresRoot"/>: one per folder, i.e. per namespace just below it.</summary>
    public static IReadOnlyList<string> Features(Assembly assembly, string featuresRoot) =>
        [.. assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith(featuresRoot + ".", StringComparison.Ordinal))
            .Select(ns => ns[(featuresRoot.Length + 1)..].Split('.')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Feature to the features it depends on (any type of one naming any type of the other).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FeatureDependencies(Assembly assembly, string featuresRoot)
    {
        var features = Features(assembly, featuresRoot);
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            graph[feature] = [.. features.Where(other => other != feature
                && DependingOn(assembly, $"{featuresRoot}.{feature}", $"{featuresRoot}.{other}").Count > 0)];
        }

        return graph;
    }

    /// <summary>Every group of features that depend on each other in a cycle (A -> B -> ... -> A), each as its sorted names.</summary>
    public static IReadOnlyList<string> Cycles(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        // Two features are in one cycle exactly when each reaches the other.
        var reach = graph.Keys.ToDictionary(k => k, k => Reachable(graph, k), StringComparer.Ordinal);
        return [.. graph.Keys
            .Select(k => string.Join(" <-> ", graph.Keys.Where(o => o == k ? reach[k].Contains(k) : reach[k].Contains(o) && reach[o].Contains(k)).Order(StringComparer.Ordinal)))
            .Where(group => group.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Components (every <see cref="ComponentBase"/>, which .razor files compile to) that depend on an AWS client type.</summary>
    public static IReadOnlyList<string> ComponentsUsingAwsClients(Assembly assembly, string inNamespace)
    {
        var result = Types.InAssembly(assembly).That().Inherit(typeof(ComponentBase)).And().ResideInNamespaceMatching(Below(inNamespace))
            .ShouldNot().HaveDependencyOnAny(AwsClientNamespaces).GetResult();
        return Failing(result);
    }

    /// <summary>The components the component rule looks at (to show it sees every one reflection sees).</summary>
    public static IReadOnlyList<string> ComponentsSeen(Assembly assembly, string inNamespace) =>
        [.. Types.InAssembly(assembly).That().Inherit(typeof(ComponentBase)).And().ResideInNamespaceMatching(Below(inNamespace))
            .GetTypes().Select(t => t.FullName ?? t.Name).Order(StringComparer.Ordinal)];

    private static HashSet<string> Reachable(IReadOnlyDictionary<string, IReadOnlyList<string>> graph, string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(graph[from]);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next) && graph.TryGetValue(next, out var onward))
            {
                foreach (var each in onward)
                {
                    stack.Push(each);
                }
            }
        }

        return seen;
    }

    private static string Below(string ns) => $"^{Regex.Escape(ns)}($|\\.)";

    private static IReadOnlyList<string> Failing(TestResult result) =>
        result.IsSuccessful ? [] : [.. (result.FailingTypeNames ?? []).Order(StringComparer.Ordinal)];
}
