using System.Globalization;

namespace LabPortal.Aws.Errors;

/// <summary>
/// A student-facing explanation of an AWS error code in English and Korean, with what to do next.
/// See <see href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html">EC2 error codes</see>
/// and <see href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/CommonErrors.html">common errors</see>.
/// </summary>
/// <param name="Code">The AWS error code.</param>
/// <param name="English">What happened, in English.</param>
/// <param name="EnglishNextStep">What to do next, in English.</param>
/// <param name="Korean">What happened, in Korean.</param>
/// <param name="KoreanNextStep">What to do next, in Korean.</param>
public sealed record AwsErrorExplanation(string Code, string English, string EnglishNextStep, string Korean, string KoreanNextStep)
{
    /// <summary>The explanation in <paramref name="culture"/>'s language (Korean for <c>ko</c>, English otherwise).</summary>
    /// <param name="culture">The UI culture.</param>
    /// <returns>The sentence.</returns>
    public string Message(CultureInfo culture) => IsKorean(culture) ? Korean : English;

    /// <summary>The next step in <paramref name="culture"/>'s language.</summary>
    /// <param name="culture">The UI culture.</param>
    /// <returns>The sentence.</returns>
    public string NextStep(CultureInfo culture) => IsKorean(culture) ? KoreanNextStep : EnglishNextStep;

    private static bool IsKorean(CultureInfo culture) =>
        string.Equals(culture?.TwoLetterISOLanguageName, "ko", StringComparison.OrdinalIgnoreCase);
}
