using System.Text.Json;
using System.Text.Json.Nodes;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ssm;

/// <summary>SSM's public parameters: GetParameter and GetParameters.</summary>
public sealed partial class SsmService
{
    private Task<ApiResult> GetParameterAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var name = SsmJsonInput.RequiredString(request.Json, "Name");
        var value = FindPublicParameter(request.Region, name)
            ?? throw new ApiException("ParameterNotFound", string.Empty);
        return Task.FromResult(ApiResult.Json(new JsonObject { ["Parameter"] = ParameterJson(request.Region, name, value) }));
    }

    private Task<ApiResult> GetParametersAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (!request.Json.TryGetProperty("Names", out var names) || names.ValueKind != JsonValueKind.Array)
        {
            throw SsmJsonInput.Missing("Names");
        }

        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in names.EnumerateArray().Select(n => n.GetString() ?? string.Empty).Distinct(StringComparer.Ordinal))
        {
            if (FindPublicParameter(request.Region, name) is { } value)
            {
                found.Add(ParameterJson(request.Region, name, value));
            }
            else
            {
                invalid.Add(name);
            }
        }

        return Task.FromResult(ApiResult.Json(new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid }));
    }

    /// <summary>
    /// The public <c>/aws/service/...</c> parameters. Their values come from EC2's image catalog, so
    /// the AMI id a lab reads here is the one DescribeImages and RunInstances know.
    /// </summary>
    private static string? FindPublicParameter(string region, string name)
    {
        var bare = name.Split(':')[0];
        return Ec2ImageCatalog.PublicParameters(region).GetValueOrDefault(bare);
    }

    private static JsonObject ParameterJson(string region, string name, string value) => new()
    {
        ["Name"] = name,
        ["Type"] = "String",
        ["Value"] = value,
        ["Version"] = 1,
        ["LastModifiedDate"] = 1732139000.0,
        ["ARN"] = $"arn:aws:ssm:{region}::parameter{name.Split(':')[0]}",
        ["DataType"] = "text",
    };
}
