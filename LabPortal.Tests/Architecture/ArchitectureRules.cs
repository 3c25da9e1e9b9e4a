using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Mono.Cecil;
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

    /// <summary>What a type must not name to take services from a container itself: the container, its scopes, and its lookup methods.</summary>
    public static readonly string[] ServiceLookupTypes =
    [
        "System.IServiceProvider",
        "Microsoft.Extensions.DependencyInjection.IServiceScopeFactory",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions",
    ];

    /// <summary>
    /// Types in <paramref name="inNamespace"/> (and below, but not below any of <paramref name="exempt"/>) that look services up
    /// in a container (<see cref="ServiceLookupTypes"/>) instead of declaring them (constructor, <c>[Inject]</c>, <c>Scoped&lt;T&gt;</c>).
    /// </summary>
    public static IReadOnlyList<string> LookingUpServices(Assembly assembly, string inNamespace, params string[] exempt)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        return [.. module.GetTypes()
            .Where(t => Regex.IsMatch(NamespaceOf(t), Below(inNamespace)) && !exempt.Any(e => Regex.IsMatch(NamespaceOf(t), Below(e))))
            .Where(t => UsedTypes(t).Any(used => ServiceLookupTypes.Contains(used.FullName, StringComparer.Ordinal)))
            .Select(t => Outermost(t).FullName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Namespace to the namespaces (of the same assembly, below <paramref name="root"/>) its types use: in base types,
    /// members' signatures, attributes and method bodies, read from the IL with Mono.Cecil. A nested or compiler-generated
    /// type (a lambda's closure, an async state machine) counts for its outermost declaring type's namespace.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> NamespaceDependencies(Assembly assembly, string root)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        var own = module.GetTypes().Select(t => t.FullName).ToHashSet(StringComparer.Ordinal);
        var graph = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!Regex.IsMatch(from, Below(root)))
            {
                continue;
            }

            var uses = graph.TryGetValue(from, out var known) ? known : graph[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var used in UsedTypes(type))
            {
                if (own.Contains(used.FullName) && NamespaceOf(used) is var to && to != from && Regex.IsMatch(to, Below(root)))
                {
                    uses.Add(to);
                }
            }
        }

        return graph.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Value], StringComparer.Ordinal);
    }

    /// <summary>Hand-written source files (<c>.cs</c>, <c>.razor</c>) under <paramref name="directory"/> longer than <paramref name="maxLines"/>, as "path: lines".</summary>
    public static IReadOnlyList<string> LongSourceFiles(string directory, int maxLines) =>
        [.. Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(directory, f).Replace('\\', '/'), Full: f))
            .Where(f => !f.Path.Split('/').Any(part => part is "obj" or "bin" or "Migrations"))
            .Select(f => (f.Path, Lines: File.ReadLines(f.Full).ToList()))
            .Where(f => f.Lines.Count > maxLines && !IsGenerated(f.Lines))
            .Select(f => $"{f.Path}: {f.Lines.Count}")
            .Order(StringComparer.Ordinal)];

    /// <summary>A generator's output says so in its first line (dotnet-ef's migrations live in Migrations/, which is left out by folder).</summary>
    private static bool IsGenerated(List<string> lines) =>
        lines.Count > 0 && (lines[0].StartsWith("// <generated", StringComparison.Ordinal) || lines[0].Contains("<auto-generated", StringComparison.Ordinal));

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace;
    }

    /// <summary>Every type <paramref name="type"/> names: base, interfaces, attributes, fields, properties, events, signatures, locals and instructions.</summary>
    private static List<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(argument);
                    }

                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(reference);
                    return;
            }
        }

        void AddMethod(MethodReference method)
        {
            Add(method.DeclaringType);
            Add(method.ReturnType);
            foreach (var parameter in method.Parameters)
            {
                Add(parameter.ParameterType);
            }

            if (method is GenericInstanceMethod generic)
            {
                foreach (var argument in generic.GenericArguments)
                {
                    Add(argument);
                }
            }
        }

        void AddAttributes(Mono.Collections.Generic.Collection<CustomAttribute> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
            }
        }

        Add(type.BaseType);
        AddAttributes(type.CustomAttributes);
        foreach (var implemented in type.Interfaces)
        {
            Add(implemented.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes);
        }

        foreach (var each in type.Events)
        {
            Add(each.EventType);
        }

        foreach (var method in type.Methods)
        {
            AddMethod(method);
            AddAttributes(method.CustomAttributes);
            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                Add(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operand:
                        Add(operand);
                        break;
                    case MethodReference operand:
                        AddMethod(operand);
                        break;
                    case FieldReference operand:
                        Add(operand.DeclaringType);
                        Add(operand.FieldType);
                        break;
                }
            }
        }

        return found;
    }

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
