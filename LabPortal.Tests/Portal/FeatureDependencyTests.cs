using System.Reflection;
using System.Reflection.Emit;
using LabPortal.Features.Cleanup;
using LabPortal.Features.LabRuns.Teardown;

namespace LabPortal.Tests.Portal;

/// <summary>
/// Features depend on each other one way only (ARCHITECTURE.md): Cleanup uses LabRuns' one teardown;
/// LabRuns never uses anything of Cleanup (the pieces both need live in Infrastructure/Activity and
/// Infrastructure/Audit: ADR 0003). Read from the compiled portal: every type of a namespace,
/// nested and compiler-made ones included (async state machines, lambdas, Razor components), with
/// its signatures, attributes, locals and every type, method and field its IL names.
/// </summary>
public sealed class FeatureDependencyTests
{
    private const string LabRuns = "LabPortal.Features.LabRuns";
    private const string Cleanup = "LabPortal.Features.Cleanup";

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void LabRuns_references_no_type_of_Cleanup()
    {
        var offending = References(LabRuns)
            .Where(r => InNamespace(r.Target, Cleanup))
            .Select(r => $"{r.From.FullName} -> {r.Target.FullName}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(offending.Count == 0, "LabRuns depends on Cleanup:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void The_reader_sees_the_direction_that_is_kept_Cleanup_uses_LabRuns_teardown()
    {
        // The same reader finds what Cleanup uses of LabRuns, so an empty answer above is a real one.
        var used = References(Cleanup).Where(r => InNamespace(r.Target, LabRuns)).Select(r => r.Target).ToHashSet();

        Assert.Contains(typeof(TeardownScheduler), used);
        Assert.Contains(typeof(TaggedResourceScanner), used);
        Assert.Contains(References(Cleanup), r => r.From == typeof(OrphanSweeper) && r.Target == typeof(ResourceDeleter));
    }

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } name && (name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal));

    /// <summary>Every (type of <paramref name="ns"/>, type it refers to) pair, the referring type being the outermost declaring type.</summary>
    private static List<(Type From, Type Target)> References(string ns)
    {
        var assembly = typeof(OrphanSweeper).Assembly;
        var found = new List<(Type, Type)>();
        foreach (var type in assembly.GetTypes().Where(t => InNamespace(Outermost(t), ns)))
        {
            var from = Outermost(type);
            foreach (var target in Referenced(type).SelectMany(Flatten))
            {
                found.Add((from, target));
            }
        }

        return found;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static IEnumerable<Type> Referenced(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var item in type.GetInterfaces().Concat(type.GetCustomAttributesData().Select(a => a.AttributeType)))
        {
            yield return item;
        }

        foreach (var field in type.GetFields(all))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(all))
        {
            yield return property.PropertyType;
            foreach (var attribute in property.GetCustomAttributesData())
            {
                yield return attribute.AttributeType;
            }
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var attribute in method.GetCustomAttributesData())
            {
                yield return attribute.AttributeType;
            }

            foreach (var target in InBody(method))
            {
                yield return target;
            }
        }
    }

    /// <summary>The types a method body names: its locals and the operands of its IL instructions.</summary>
    private static IEnumerable<Type> InBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArgs = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                    switch (member)
                    {
                        case Type named:
                            yield return named;
                            break;
                        case MethodBase called:
                            yield return called.DeclaringType!;
                            if (called.IsGenericMethod)
                            {
                                foreach (var argument in called.GetGenericArguments())
                                {
                                    yield return argument;
                                }
                            }

                            break;
                        case FieldInfo field:
                            yield return field.DeclaringType!;
                            yield return field.FieldType;
                            break;
                    }

                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    /// <summary>A type and what it is made of: generic arguments, array and by-ref element types.</summary>
    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }
}
