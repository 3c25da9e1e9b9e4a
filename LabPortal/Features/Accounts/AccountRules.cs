using System.Text.RegularExpressions;
using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.Accounts;

/// <summary>Input rules shared by every account form; each returns a message in the user's language or null.</summary>
public static partial class AccountRules
{
    public const string UserNamePattern = @"^[\p{L}\p{N}][\p{L}\p{N} ._-]{1,31}$";
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    public static string? CheckUserName(string? value)
    {
        var name = value?.Trim() ?? "";
        if (name.Length == 0)
        {
            return L.T("Enter a name.", "이름을 입력하세요.");
        }

        if (name.Length is < 2 or > 32)
        {
            return L.T("A name has 2 to 32 characters.", "이름은 2~32자여야 합니다.");
        }

        return UserNameRegex().IsMatch(name)
            ? null
            : L.T("Use letters, digits, spaces, dots, hyphens or underscores, starting with a letter or digit.",
                  "문자, 숫자, 공백, 점(.), 하이픈(-), 밑줄(_)만 쓸 수 있고 문자나 숫자로 시작해야 합니다.");
    }

    public static string? CheckNewPassword(string? value) => (value ?? "").Length switch
    {
        0 => L.T("Enter a password.", "비밀번호를 입력하세요."),
        < MinPasswordLength => L.T($"A password has at least {MinPasswordLength} characters.", $"비밀번호는 {MinPasswordLength}자 이상이어야 합니다."),
        > MaxPasswordLength => L.T($"A password has at most {MaxPasswordLength} characters.", $"비밀번호는 {MaxPasswordLength}자 이하여야 합니다."),
        _ => null,
    };

    public static string? CheckConfirmation(string? password, string? confirmation) =>
        string.Equals(password, confirmation, StringComparison.Ordinal)
            ? null
            : L.T("The two passwords differ.", "두 비밀번호가 다릅니다.");

    [GeneratedRegex(UserNamePattern)]
    private static partial Regex UserNameRegex();
}
