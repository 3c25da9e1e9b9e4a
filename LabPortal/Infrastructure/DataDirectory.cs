namespace LabPortal.Infrastructure;

/// <summary>The resolved, existing data folder (see <see cref="PortalOptions.DataDirectory"/>).</summary>
public sealed record DataDirectory(string Path)
{
    public static DataDirectory Resolve(IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{PortalOptions.Section}:{nameof(PortalOptions.DataDirectory)}"];
        var path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(path);
        return new DataDirectory(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);
}
