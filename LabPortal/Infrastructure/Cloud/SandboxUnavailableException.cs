namespace LabPortal.Infrastructure.Cloud;

/// <summary>
/// The standalone sandbox did not answer, or refused the portal's admin key. An <see cref="HttpRequestException"/>,
/// so a step's job retries it like any network error; its message is the sentence a learner reads, in both languages.
/// </summary>
public sealed class SandboxUnavailableException : HttpRequestException
{
    public const string EnglishText = "The lab cloud (the sandbox) does not answer right now. Your work is saved: try again in a minute, and tell your instructor if it lasts.";

    public const string KoreanText = "지금 실습 클라우드(샌드박스)가 응답하지 않습니다. 작업은 저장되어 있으니 잠시 후 다시 시도하고, 계속되면 강사에게 알려 주세요.";

    public SandboxUnavailableException()
        : base($"{EnglishText}\n{KoreanText}")
    {
    }

    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    public SandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why, for operators (logs, /healthz); the learner's sentence stays the message.</summary>
    public string? Detail { get; init; }

    public static SandboxUnavailableException Because(string detail, Exception? inner = null) =>
        inner is null
            ? new($"{EnglishText}\n{KoreanText}") { Detail = detail }
            : new($"{EnglishText}\n{KoreanText}", inner) { Detail = detail };
}
