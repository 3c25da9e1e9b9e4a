namespace LabPortal.Infrastructure.Cloud;

/// <summary>Every account of the pool serves another learner: this learner cannot start until one is returned.</summary>
public sealed class AccountPoolExhaustedException : Exception
{
    public AccountPoolExhaustedException()
        : base(EnglishText)
    {
    }

    public AccountPoolExhaustedException(string message)
        : base(message)
    {
    }

    public AccountPoolExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public const string Code = "AccountPoolExhausted";

    public const string EnglishText = "Every AWS account of the class's pool is in use by another student, so your lab cannot start yet. Ask your instructor to reset a finished student or to add an account to the pool.";

    public const string KoreanText = "수업에 준비된 AWS 계정을 모두 다른 학생이 쓰고 있어 아직 실습을 시작할 수 없습니다. 강사에게 실습을 마친 학생을 초기화하거나 계정을 추가해 달라고 요청하세요.";
}
