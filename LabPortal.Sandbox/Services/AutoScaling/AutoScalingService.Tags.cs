using System.Xml;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.AutoScaling;

public sealed partial class AutoScalingService
{
    /// <summary>Auto Scaling allows 50 tags per group (API reference, CreateOrUpdateTags).</summary>
    private const int MaxTagsPerGroup = 50;

    private async Task<ApiResult> CreateOrUpdateTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var items = ReadResourceTags(request.Parameters);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Read<AutoScalingRegionState>(request.Region);
        foreach (var byGroup in items.GroupBy(i => i.Group, StringComparer.Ordinal))
        {
            var keys = FindGroup(asg, byGroup.Key).Tags.Select(t => t.Key).Concat(byGroup.Select(i => i.Tag.Key)).Distinct(StringComparer.Ordinal).Count();
            if (keys > MaxTagsPerGroup)
            {
                throw new ApiException("LimitExceeded", $"The quota of {MaxTagsPerGroup} tags per Auto Scaling group has been reached.");
            }
        }

        asg = scope.Write<AutoScalingRegionState>(request.Region);
        foreach (var (groupName, tag) in items)
        {
            var group = asg.Groups[groupName];
            group.Tags.RemoveAll(t => t.Key == tag.Key);
            group.Tags.Add(tag);
        }

        return ApiResult.Xml(null);
    }

    private async Task<ApiResult> DeleteTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var items = ReadResourceTags(request.Parameters);
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Read<AutoScalingRegionState>(request.Region);
        foreach (var (groupName, _) in items)
        {
            FindGroup(asg, groupName);
        }

        asg = scope.Write<AutoScalingRegionState>(request.Region);
        foreach (var (groupName, tag) in items)
        {
            asg.Groups[groupName].Tags.RemoveAll(t => t.Key == tag.Key);
        }

        return ApiResult.Xml(null);
    }

    private async Task<ApiResult> DescribeTagsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var filters = request.Parameters.GetFilters("Filters");
        foreach (var filter in filters)
        {
            if (filter.Name is not ("auto-scaling-group" or "key" or "value" or "propagate-at-launch"))
            {
                throw new ApiException("ValidationError", $"Filter type {QueryParameters.Shorten(filter.Name)} is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch");
            }
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var asg = scope.Find<AutoScalingRegionState>(request.Region);
        var rows = (asg?.Groups.Values ?? Enumerable.Empty<AsgGroup>())
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .SelectMany(g => g.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (Group: g.Name, Tag: t)))
            .Where(r => filters.All(f => f.Name == "propagate-at-launch"

                // AWS matches the flag whatever its case ("True" as boto3 users write it; verified against AWS, issue 19).
                ? f.Values.Any(v => string.Equals(v, r.Tag.PropagateAtLaunch ? "true" : "false", StringComparison.OrdinalIgnoreCase))
                : f.Matches(f.Name switch
                {
                    "auto-scaling-group" => r.Group,
                    "key" => r.Tag.Key,
                    _ => r.Tag.Value,
                })))
            .ToList();
        var (page, next) = Paginate(rows, request.Parameters);
        return ApiResult.Xml(w =>
        {
            w.MemberList("Tags", page, (x, r) => WriteTag(x, r.Group, r.Tag));
            w.Element("NextToken", next);
        });
    }

    private static void WriteTag(XmlWriter w, string groupName, AsgTag tag) =>
        w.Element("ResourceId", groupName)
            .Element("ResourceType", "auto-scaling-group")
            .Element("Key", tag.Key)
            .Element("Value", tag.Value)
            .Element("PropagateAtLaunch", tag.PropagateAtLaunch);

    /// <summary>Values a group offers to the DescribeAutoScalingGroups filters <c>tag-key</c>, <c>tag-value</c>, <c>tag:Key</c>.</summary>
    private static IEnumerable<string?> TagFilterValues(string filterName, AsgGroup group)
    {
        if (filterName.StartsWith("tag:", StringComparison.Ordinal))
        {
            return group.Tags.Where(t => t.Key == filterName[4..]).Select(t => (string?)t.Value);
        }

        return filterName switch
        {
            "tag-key" => group.Tags.Select(t => (string?)t.Key),
            "tag-value" => group.Tags.Select(t => (string?)t.Value),
            _ => throw new ApiException("ValidationError", $"Filter type {QueryParameters.Shorten(filterName)} is not correct. Allowed Filter types are: tag-key tag-value tag:<key>"),
        };
    }

    /// <summary>CreateAutoScalingGroup's Tags (ResourceId optional, the new group's name).</summary>
    private static List<AsgTag> ReadTags(QueryParameters p, string groupName) =>
        ReadResourceTags(p, groupName).Select(t => t.Tag).ToList();

    private static List<(string Group, AsgTag Tag)> ReadResourceTags(QueryParameters p, string? defaultResource = null)
    {
        var items = p.GetStructs("Tags");
        if (items.Count == 0 && defaultResource is null)
        {
            throw p.Missing("Tags");
        }

        var result = new List<(string, AsgTag)>();
        foreach (var item in items)
        {
            var key = item.GetRequired("Key");
            if (key.Length > 128)
            {
                throw item.Invalid("Key", key, "Member must have length less than or equal to 128");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new ApiException("ValidationError", "Tag keys starting with 'aws:' are reserved for internal use.");
            }

            var value = item.GetString("Value", 256) ?? string.Empty;
            var resource = item.Get("ResourceId") ?? defaultResource ?? throw item.Missing("ResourceId");
            var type = item.Get("ResourceType") ?? "auto-scaling-group";
            if (type != "auto-scaling-group")
            {
                throw new ApiException("ValidationError", $"Resource type {QueryParameters.Shorten(type)} is not supported. Supported resource type: auto-scaling-group");
            }

            result.Add((resource, new AsgTag { Key = key, Value = value, PropagateAtLaunch = item.GetBool("PropagateAtLaunch") ?? false }));
        }

        return result;
    }
}
