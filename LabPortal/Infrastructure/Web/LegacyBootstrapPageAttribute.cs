namespace LabPortal.Infrastructure.Web;

/// <summary>
/// Marks a page still on the old layer (static SSR, Bootstrap, htmx): the instructor pages until
/// their own move. Such a page gets the old layout and scripts; every other page is MudBlazor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LegacyBootstrapPageAttribute : Attribute;
