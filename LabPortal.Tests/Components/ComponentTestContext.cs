using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LabPortal.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor set up as PACKAGES.md says (loose JS interop for MudBlazor's own
/// calls; asynchronous disposal through IAsyncLifetime), in the language the test picks.
/// </summary>
public abstract class ComponentTestContext : IAsyncLifetime
{
    private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

    protected ComponentTestContext(string language = "en")
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddSingleton<TimeProvider>(Clock);
    }

    protected BunitContext Context { get; } = new();

    protected ManualClock Clock { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        CultureInfo.CurrentUICulture = _previous;
    }
}

/// <summary>A wall clock the test sets; timers stay real.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
