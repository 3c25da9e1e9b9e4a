using System.Globalization;

namespace LabPortal.Infrastructure.Localization;

/// <summary>
/// Every text a user reads is written in both languages at the place it is used, so one can
/// never exist without the other. The request's UI culture (cookie, else Accept-Language)
/// picks the language.
/// </summary>
public static class L
{
    public static bool IsKorean => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ko";

    /// <summary>The text in the current language: English first, then Korean.</summary>
    public static string T(string english, string korean) => IsKorean ? korean : english;
}
