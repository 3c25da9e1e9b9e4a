using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>ELBv2 ARNs, DNS names and name rules (aws-behaviour.md 2.1).</summary>
public static partial class Elbv2Names
{
    /// <summary>AWS's provisioning time before the time scale; AWS gives no figure, 2 minutes is the low end of reports (aws-behaviour.md 6).</summary>
    public static readonly TimeSpan Provisioning = TimeSpan.FromMinutes(2);

    // Route 53 hosted zone ids of Application Load Balancers per region (ELB endpoints page of the AWS General Reference).
    private static readonly Dictionary<string, string> HostedZones = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = "Z35SXDOTRQ7X7K",
        ["us-east-2"] = "Z3AADJGX6KTTL2",
        ["us-west-1"] = "Z368ELLRRE2KJ0",
        ["us-west-2"] = "Z1H1FL5HABSF5",
        ["ap-northeast-1"] = "Z14GRHDCWA56QT",
        ["ap-northeast-2"] = "ZWKZPGTI48KDX",
        ["ap-northeast-3"] = "Z5LXEXXYW11ES",
        ["ap-south-1"] = "ZP97RAFLXTNZK",
        ["ap-southeast-1"] = "Z1LMS91P8CMLE5",
        ["ap-southeast-2"] = "Z1GM3OXH4ZPM65",
        ["ca-central-1"] = "ZQSVJUPU6J1EY",
        ["eu-central-1"] = "Z215JYRZR1TBD5",
        ["eu-west-1"] = "Z32O12XQLNTSW2",
        ["eu-west-2"] = "ZHURV8PSTC4K8",
        ["eu-west-3"] = "Z3Q77PNBQS71R4",
        ["eu-north-1"] = "Z23TAZ7KMX2PB6",
        ["sa-east-1"] = "Z2P70J7HTTTPLU",
    };

    public static string CanonicalHostedZoneId(string region) =>
        HostedZones.TryGetValue(region, out var zone)
            ? zone
            : "Z" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(region)))[..13];

    public static string TargetGroupArn(string region, string accountId, string name) =>
        $"arn:aws:elasticloadbalancing:{region}:{accountId}:targetgroup/{name}/{NewId()}";

    public static string LoadBalancerArn(string region, string accountId, string name) =>
        $"arn:aws:elasticloadbalancing:{region}:{accountId}:loadbalancer/app/{name}/{NewId()}";

    /// <summary><c>listener/app/name/lb-id/listener-id</c>, as AWS derives it from the load balancer ARN.</summary>
    public static string ListenerArn(string loadBalancerArn) =>
        loadBalancerArn.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/" + NewId();

    public static string RuleArn(string listenerArn) =>
        listenerArn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/" + NewId();

    /// <summary><c>name-1234567890.region.elb.localhost</c> (ARCHITECTURE.md data plane; AWS uses a 9-10 digit number).</summary>
    public static string DnsName(string name, string region) =>
        $"{name}-{RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture)}.{region}.elb.localhost";

    public static void ValidateTargetGroupName(string name)
    {
        if (name.Length > 32)
        {
            throw new ApiException("ValidationError", $"Target group name '{QueryParameters.Shorten(name)}' cannot be longer than '32' characters");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw new ApiException("ValidationError", $"Target group name '{QueryParameters.Shorten(name)}' can only contain characters that are alphanumeric characters or hyphens(-)");
        }

        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            throw new ApiException("ValidationError", $"Target group name '{name}' cannot begin or end with '-'");
        }
    }

    public static void ValidateLoadBalancerName(string name)
    {
        if (name.Length > 32)
        {
            throw new ApiException("ValidationError", $"The load balancer name '{QueryParameters.Shorten(name)}' cannot be longer than '32' characters");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw new ApiException("ValidationError", $"The load balancer name '{QueryParameters.Shorten(name)}' can only contain characters that are alphanumeric characters and hyphens(-)");
        }

        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            throw new ApiException("ValidationError", $"The load balancer name '{name}' cannot begin or end with '-'");
        }

        if (name.StartsWith("internal-", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException("ValidationError", $"The load balancer name '{name}' cannot begin with 'internal-'");
        }
    }

    /// <summary>Refuses a value that is not an ARN of the expected kind, as AWS does before looking it up.</summary>
    public static void ValidateArn(string arn, string kind, string what)
    {
        if (!arn.StartsWith("arn:aws:elasticloadbalancing:", StringComparison.Ordinal) || !arn.Contains($":{kind}/", StringComparison.Ordinal))
        {
            throw new ApiException("ValidationError", $"'{QueryParameters.Shorten(arn)}' is not a valid {what} ARN");
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    [GeneratedRegex(@"\A[A-Za-z0-9-]+\z")]
    private static partial Regex NamePattern();
}
