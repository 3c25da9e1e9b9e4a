namespace LabPortal.Sandbox.State;

/// <summary>
/// Declares a kind of per-account, per-region state: its persisted name (the <c>section</c> column)
/// and how to seed it the first time a region is touched (EC2 seeds the default VPC there).
/// Register with <c>services.AddSandboxStateSection(StateSection.For&lt;MyState&gt;("elbv2", region =&gt; new MyState()))</c>.
/// </summary>
public sealed class StateSection
{
    private StateSection(string name, Type stateType, Func<string, IRegionState> create)
    {
        Name = name;
        StateType = stateType;
        Create = create;
    }

    public string Name { get; }

    public Type StateType { get; }

    internal Func<string, IRegionState> Create { get; }

    public static StateSection For<T>(string name, Func<string, T> create)
        where T : class, IRegionState => new(name, typeof(T), region => create(region));
}
