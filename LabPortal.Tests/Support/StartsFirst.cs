using System.Reflection;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("LabPortal.Tests.Support.StartsFirstOrderer", "LabPortal.Tests")]

namespace LabPortal.Tests.Support;

/// <summary>
/// A test class that runs long while waiting most of the time (child processes, poll windows): started before the
/// others, its waits overlap their work. Left to xunit's own order, the two-node test started last and ran alone for
/// its final minute (CI, 2026-12-07: 57 s with no other class running).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StartsFirstAttribute : Attribute;

/// <summary>
/// Orders test collections: those of classes marked <see cref="StartsFirstAttribute"/> first, every other collection
/// after them in the order xunit gave. A class without a collection of its own is xunit's default collection
/// ("Test collection for" its full name).
/// </summary>
public sealed class StartsFirstOrderer : ITestCollectionOrderer
{
    private const string DefaultCollectionPrefix = "Test collection for ";

    private static readonly HashSet<string> FirstClasses = [.. typeof(StartsFirstOrderer).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<StartsFirstAttribute>() is not null)
        .Select(t => t.FullName!)];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var all = testCollections.ToList();
        return [.. all.Where(StartsFirst), .. all.Where(c => !StartsFirst(c))];
    }

    public static bool StartsFirst(ITestCollection collection) =>
        collection.DisplayName.StartsWith(DefaultCollectionPrefix, StringComparison.Ordinal)
        && FirstClasses.Contains(collection.DisplayName[DefaultCollectionPrefix.Length..]);
}
