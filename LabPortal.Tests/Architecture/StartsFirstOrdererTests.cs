using LabPortal.Tests.ScaleOut;
using LabPortal.Tests.Support;
using Xunit.Sdk;

namespace LabPortal.Tests.Architecture;

/// <summary>The suite's collection order: classes marked <see cref="StartsFirstAttribute"/> start before the rest, which keep xunit's order.</summary>
public sealed class StartsFirstOrdererTests
{
    [Fact]
    public void Marked_classes_start_first_and_the_others_keep_their_order()
    {
        var ordered = new StartsFirstOrderer().OrderTestCollections(
        [
            Collection($"Test collection for {typeof(StartsFirstOrdererTests).FullName}"),
            Collection(FixedPorts.Name),
            Collection($"Test collection for {typeof(TwoNodesOnPostgreSqlTests).FullName}"),
            Collection("Test collection for LabPortal.Tests.NoSuchClass"),
        ]).Select(c => c.DisplayName).ToList();

        Assert.Equal(
        [
            $"Test collection for {typeof(TwoNodesOnPostgreSqlTests).FullName}",
            $"Test collection for {typeof(StartsFirstOrdererTests).FullName}",
            FixedPorts.Name,
            "Test collection for LabPortal.Tests.NoSuchClass",
        ], ordered);
    }

    [Fact]
    public void A_named_collection_is_not_taken_for_a_marked_class()
    {
        Assert.False(StartsFirstOrderer.StartsFirst(Collection(typeof(TwoNodesOnPostgreSqlTests).FullName!)));
    }

    private static readonly TestAssembly Assembly = new(Reflector.Wrap(typeof(StartsFirstOrdererTests).Assembly));

    private static TestCollection Collection(string name) => new(Assembly, collectionDefinition: null, name);
}
