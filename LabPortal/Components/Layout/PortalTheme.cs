using MudBlazor;

namespace LabPortal.Components.Layout;

/// <summary>The portal's one theme, light and dark (STYLE.md: a theme instead of page CSS).</summary>
public static class PortalTheme
{
    /// <summary>System fonts with Korean faces first in line for Korean text: no web font to fetch offline.</summary>
    private static readonly string[] Fonts = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans KR", "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fbf",
            Secondary = "#5c6b7a",
            AppbarBackground = "#1f3a5f",
            Success = "#1b7a3a",
            Error = "#b3261e",
            Warning = "#8a5a00",
            Info = "#0b6e99",
            TextSecondary = "rgba(0,0,0,0.68)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8ab4f8",
            Secondary = "#aab4be",
            Success = "#7ddc9b",
            Error = "#f2b8b5",
            Warning = "#ffcc80",
            Info = "#7cc7e8",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H2 = new H2Typography { FontFamily = Fonts },
            H3 = new H3Typography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts, FontSize = "1.75rem", FontWeight = "600" },
            H5 = new H5Typography { FontFamily = Fonts, FontSize = "1.35rem", FontWeight = "600" },
            H6 = new H6Typography { FontFamily = Fonts, FontSize = "1.1rem", FontWeight = "600" },
            Button = new ButtonTypography { FontFamily = Fonts, TextTransform = "none" },
            Body1 = new Body1Typography { FontFamily = Fonts },
            Body2 = new Body2Typography { FontFamily = Fonts },
        },
    };
}
