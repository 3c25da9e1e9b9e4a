using System.Globalization;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>Target group and load balancer attributes: AWS's defaults (aws-behaviour.md 1.5) and value checks.</summary>
public static class Elbv2Attributes
{
    public const string DeregistrationDelay = "deregistration_delay.timeout_seconds";
    public const string Algorithm = "load_balancing.algorithm.type";
    public const string IdleTimeout = "idle_timeout.timeout_seconds";

    public static Dictionary<string, string> TargetGroupDefaults() => new(StringComparer.Ordinal)
    {
        [DeregistrationDelay] = "300",
        ["stickiness.enabled"] = "false",
        ["stickiness.type"] = "lb_cookie",
        ["stickiness.lb_cookie.duration_seconds"] = "86400",
        ["stickiness.app_cookie.cookie_name"] = string.Empty,
        ["stickiness.app_cookie.duration_seconds"] = "86400",
        ["slow_start.duration_seconds"] = "0",
        [Algorithm] = "round_robin",
        ["load_balancing.algorithm.anomaly_mitigation"] = "off",
        ["load_balancing.cross_zone.enabled"] = "use_load_balancer_configuration",
        ["target_group_health.unhealthy_state_routing.minimum_healthy_targets.count"] = "1",
        ["target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage"] = "off",
        ["target_group_health.dns_failover.minimum_healthy_targets.count"] = "1",
        ["target_group_health.dns_failover.minimum_healthy_targets.percentage"] = "off",
    };

    public static Dictionary<string, string> LoadBalancerDefaults() => new(StringComparer.Ordinal)
    {
        ["access_logs.s3.enabled"] = "false",
        ["access_logs.s3.bucket"] = string.Empty,
        ["access_logs.s3.prefix"] = string.Empty,
        ["deletion_protection.enabled"] = "false",
        [IdleTimeout] = "60",
        ["routing.http.desync_mitigation_mode"] = "defensive",
        ["routing.http.drop_invalid_header_fields.enabled"] = "false",
        ["routing.http.preserve_host_header.enabled"] = "false",
        ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled"] = "false",
        ["routing.http.xff_client_port.enabled"] = "false",
        ["routing.http.xff_header_processing.mode"] = "append",
        ["routing.http2.enabled"] = "true",
        ["waf.fail_open.enabled"] = "false",
        ["load_balancing.cross_zone.enabled"] = "true",
        ["client_keep_alive.seconds"] = "3600",
    };

    /// <summary>Checks one ModifyTargetGroupAttributes pair; AWS refuses unknown keys and out-of-range values with ValidationError.</summary>
    public static void ValidateTargetGroupAttribute(string key, string value)
    {
        switch (key)
        {
            case DeregistrationDelay:
                RequireInt(key, value, 0, 3600);
                break;
            case "stickiness.lb_cookie.duration_seconds":
            case "stickiness.app_cookie.duration_seconds":
                RequireInt(key, value, 1, 604800);
                break;
            case "slow_start.duration_seconds":
                var slow = RequireInt(key, value, 0, 900);
                if (slow is > 0 and < 30)
                {
                    throw Invalid(key, value, "must be 0 or between 30 and 900");
                }

                break;
            case "stickiness.enabled":
                RequireOneOf(key, value, "true", "false");
                break;
            case "stickiness.type":
                RequireOneOf(key, value, "lb_cookie", "app_cookie");
                break;
            case Algorithm:
                RequireOneOf(key, value, "round_robin", "least_outstanding_requests", "weighted_random");
                break;
            case "load_balancing.algorithm.anomaly_mitigation":
                RequireOneOf(key, value, "on", "off");
                break;
            case "load_balancing.cross_zone.enabled":
                RequireOneOf(key, value, "true", "false", "use_load_balancer_configuration");
                break;
            case "stickiness.app_cookie.cookie_name":
                break;
            case "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":
            case "target_group_health.dns_failover.minimum_healthy_targets.count":
                RequireInt(key, value, 1, 5000);
                break;
            case "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage":
            case "target_group_health.dns_failover.minimum_healthy_targets.percentage":
                if (value != "off")
                {
                    RequireInt(key, value, 1, 100);
                }

                break;
            default:
                throw new ApiException("ValidationError", $"Target group attribute key '{QueryParameters.Shorten(key)}' is not recognized");
        }
    }

    private static int RequireInt(string key, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw Invalid(key, value, $"must be an integer between {min} and {max}");
        }

        return number;
    }

    private static void RequireOneOf(string key, string value, params string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw Invalid(key, value, $"must be one of [{string.Join(", ", allowed)}]");
        }
    }

    private static ApiException Invalid(string key, string value, string rule) =>
        new("ValidationError", $"'{QueryParameters.Shorten(value)}' is not a valid value for target group attribute '{key}': it {rule}");
}
