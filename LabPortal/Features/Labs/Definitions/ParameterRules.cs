using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace LabPortal.Features.Labs.Definitions;

/// <summary>
/// Validates a learner's value for a step parameter with AWS's own rules, before anything is
/// called (aws-behaviour.md §2: names, ports, CIDRs).
/// </summary>
public static partial class ParameterRules
{
    public const int DefaultNameLength = 32;
    public const int DefaultTextLength = 255;
    public const int DefaultMultilineLength = 16384;

    public static RuleViolation? Check(ParameterDefinition parameter, string? value)
    {
        var text = value ?? "";
        if (parameter.Type != ParameterType.Multiline)
        {
            text = text.Trim();
        }

        if (text.Length == 0)
        {
            return new("Enter a value.", "값을 입력하세요.");
        }

        return parameter.Type switch
        {
            ParameterType.Name => CheckName(text, parameter.MaxLength ?? DefaultNameLength),
            ParameterType.SecurityGroupName => CheckName(text, parameter.MaxLength ?? DefaultNameLength) ?? CheckSecurityGroupName(text),
            ParameterType.Text => CheckLength(text, parameter.MaxLength ?? DefaultTextLength),
            ParameterType.Multiline => CheckLength(text, parameter.MaxLength ?? DefaultMultilineLength),
            ParameterType.Port => CheckInteger(text, 1, 65535),
            ParameterType.Count => CheckInteger(text, parameter.Min ?? 0, parameter.Max ?? int.MaxValue),
            ParameterType.Cidr => CheckCidr(text),
            ParameterType.Az or ParameterType.Choice or ParameterType.InstanceType => CheckChoice(parameter, text),
            _ => null,
        };
    }

    /// <summary>
    /// Target group and load balancer names: at most 32 characters, only alphanumerics and hyphens,
    /// not starting or ending with a hyphen, and a load balancer name must not start with
    /// <c>internal-</c> (CreateTargetGroup / CreateLoadBalancer "Name" in the ELBv2 API reference).
    /// </summary>
    private static RuleViolation? CheckName(string text, int maxLength)
    {
        if (text.Length > maxLength)
        {
            return new($"Use at most {maxLength} characters.", $"{maxLength}자 이하로 쓰세요.");
        }

        if (!NameRegex().IsMatch(text))
        {
            return new("Use only letters, digits and hyphens (-).", "영문자, 숫자, 하이픈(-)만 쓸 수 있습니다.");
        }

        if (text.StartsWith('-') || text.EndsWith('-'))
        {
            return new("A name cannot start or end with a hyphen.", "이름은 하이픈으로 시작하거나 끝날 수 없습니다.");
        }

        return text.StartsWith("internal-", StringComparison.OrdinalIgnoreCase)
            ? new("A name cannot start with \"internal-\": AWS reserves it for internal load balancers.", "\"internal-\"로 시작하는 이름은 쓸 수 없습니다. AWS가 내부 로드 밸런서용으로 남겨 둔 접두사입니다.")
            : null;
    }

    /// <summary>
    /// Names AWS keeps for itself (EC2 API reference, CreateSecurityGroup, GroupName: "Constraints: ...
    /// cannot start with sg-"; every VPC has a group named <c>default</c>, and a create with that name
    /// answers <c>InvalidGroup.Reserved</c>, "The security group 'default' is reserved"). Refused in
    /// the form: the lab must never take over, change or delete the VPC's default group (issue 13).
    /// </summary>
    private static RuleViolation? CheckSecurityGroupName(string text)
    {
        if (string.Equals(text, "default", StringComparison.OrdinalIgnoreCase))
        {
            return new("AWS reserves the name \"default\" for each VPC's default security group (InvalidGroup.Reserved: The security group 'default' is reserved). Choose another name.",
                "AWS는 \"default\"라는 이름을 각 VPC의 기본 보안 그룹에 씁니다(InvalidGroup.Reserved: The security group 'default' is reserved). 다른 이름을 고르세요.");
        }

        return text.StartsWith("sg-", StringComparison.OrdinalIgnoreCase)
            ? new("A security group name cannot start with \"sg-\": AWS reserves it for security group ids.", "보안 그룹 이름은 \"sg-\"로 시작할 수 없습니다. AWS가 보안 그룹 ID에 쓰는 접두사입니다.")
            : null;
    }

    /// <summary>
    /// Rules AWS applies across fields or to a field's format, checked before anything is called so the
    /// step does not fail in its job: CreateTargetGroup answers ValidationError when the health-check
    /// timeout is not smaller than the interval, when the path does not start with "/", and when the
    /// HTTP matcher is not a code, a list of codes or a range of codes from 200 to 499 (ELBv2 API
    /// reference, Matcher.HttpCode and HealthCheckTimeoutSeconds). Only fields that passed their own
    /// rule are compared; the result maps a parameter name to its problem.
    /// </summary>
    public static IReadOnlyDictionary<string, RuleViolation> CheckTogether(IReadOnlyDictionary<string, string> valid)
    {
        var problems = new Dictionary<string, RuleViolation>(StringComparer.Ordinal);
        if (valid.TryGetValue("healthCheckTimeoutSeconds", out var timeoutText) && valid.TryGetValue("healthCheckIntervalSeconds", out var intervalText)
            && int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var timeout)
            && int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out var interval)
            && timeout >= interval)
        {
            problems["healthCheckTimeoutSeconds"] = new(
                $"The timeout must be shorter than the interval ({interval} s): a check must end before the next one starts.",
                $"제한 시간은 간격({interval}초)보다 짧아야 합니다. 다음 검사가 시작되기 전에 검사가 끝나야 합니다.");
        }

        if (valid.TryGetValue("healthCheckPath", out var path) && !path.StartsWith('/'))
        {
            problems["healthCheckPath"] = new("The path must start with a slash, for example /index.html.", "경로는 /index.html처럼 슬래시(/)로 시작해야 합니다.");
        }

        if (valid.TryGetValue("matcher", out var matcher) && !IsHttpMatcher(matcher))
        {
            problems["matcher"] = new(
                "Use a status code (200), a list (200,202) or a range (200-299), each from 200 to 499.",
                "상태 코드(200), 목록(200,202) 또는 범위(200-299)로 쓰세요. 각 코드는 200에서 499 사이입니다.");
        }

        return problems;
    }

    private static bool IsHttpMatcher(string text)
    {
        static bool Code(string part, out int code) =>
            int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out code) && part.Length == 3 && code is >= 200 and <= 499;

        if (text.Contains('-', StringComparison.Ordinal))
        {
            var ends = text.Split('-');
            return ends.Length == 2 && Code(ends[0], out var low) && Code(ends[1], out var high) && low < high;
        }

        return text.Split(',').All(part => Code(part, out _));
    }

    private static RuleViolation? CheckLength(string text, int maxLength) =>
        text.Length > maxLength ? new($"Use at most {maxLength} characters.", $"{maxLength}자 이하로 쓰세요.") : null;

    private static RuleViolation? CheckInteger(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? null
            : new($"Enter a whole number from {min} to {max}.", $"{min}부터 {max}까지의 정수를 입력하세요.");

    private static RuleViolation? CheckCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var valid = slash > 0
            && Ipv4Regex().IsMatch(text[..slash])
            && IPAddress.TryParse(text[..slash], out _)
            && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix is >= 0 and <= 32;
        return valid
            ? null
            : new("Enter an IPv4 range such as 0.0.0.0/0 (anywhere) or 203.0.113.7/32 (one address).", "0.0.0.0/0(모든 곳)이나 203.0.113.7/32(주소 하나) 같은 IPv4 범위를 입력하세요.");
    }

    private static RuleViolation? CheckChoice(ParameterDefinition parameter, string text)
    {
        // Run-time choices (e.g. the group's instances) are checked against the cloud when the action runs.
        if (parameter.ChoicesFrom is not null || parameter.Choices.Count == 0)
        {
            return parameter.Type == ParameterType.Az && !AzRegex().IsMatch(text)
                ? new("Enter an availability zone such as ap-northeast-2a.", "ap-northeast-2a 같은 가용 영역을 입력하세요.")
                : null;
        }

        return parameter.Choices.Exists(c => c.Value == text)
            ? null
            : new("Choose one of the listed values.", "목록에 있는 값 중 하나를 고르세요.");
    }

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex Ipv4Regex();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-\\d[a-z]$")]
    private static partial Regex AzRegex();
}
