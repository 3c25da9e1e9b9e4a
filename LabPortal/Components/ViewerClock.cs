using Microsoft.JSInterop;

namespace LabPortal.Components;

/// <summary>
/// The viewer's time zone, asked of the browser once per circuit, so times show in the viewer's
/// zone with the zone named (KST for Seoul). Until the browser answered, times show in UTC.
/// </summary>
public sealed class ViewerClock(IJSRuntime js)
{
    private TimeZoneInfo? _zone;
    private Task? _asking;

    public TimeZoneInfo Zone => _zone ?? TimeZoneInfo.Utc;

    public bool Known => _zone is not null;

    /// <summary>Asks the browser (once); safe to call from every component's first render.</summary>
    public Task LearnAsync() => _asking ??= AskAsync();

    public string Format(DateTime utc, string format = "yyyy-MM-dd HH:mm:ss")
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
        return $"{local.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} {ZoneName(utc)}";
    }

    private string ZoneName(DateTime utc)
    {
        if (Zone.Id is "Asia/Seoul")
        {
            return "KST";
        }

        if (Zone == TimeZoneInfo.Utc || Zone.Id == "Etc/UTC")
        {
            return "UTC";
        }

        var offset = Zone.GetUtcOffset(utc);
        return $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";
    }

    private async Task AskAsync()
    {
        try
        {
            var name = await js.InvokeAsync<string>("labPortal.timeZoneName");
            _zone = TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (Exception e) when (e is JSException or InvalidOperationException or TaskCanceledException)
        {
            // Prerendering, or a browser without Intl: UTC, named as such.
            _asking = null;
        }
    }
}
