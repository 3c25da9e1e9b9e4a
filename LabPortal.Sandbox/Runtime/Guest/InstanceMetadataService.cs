using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace LabPortal.Sandbox.Runtime.Guest;

/// <summary>
/// The instance metadata service at 169.254.169.254 as scripts reach it with curl: IMDSv1 GETs,
/// and IMDSv2 (PUT /latest/api/token, then the token in X-aws-ec2-metadata-token). Instances here
/// allow both (HttpTokens "optional"); a wrong or expired token is refused with 401 as IMDS does.
/// </summary>
internal sealed class InstanceMetadataService(InstanceMetadata metadata, TimeProvider timeProvider, Func<string?> userData)
{
    public const string TokenHeader = "X-aws-ec2-metadata-token";
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

    // The body IMDS sends with a 404 (for example public-ipv4 of an instance without a public
    // address). "curl -s" prints it, which is how it ends up inside students' index.html pages.
    internal const string NotFoundBody = """
        <?xml version="1.0" encoding="iso-8859-1"?>
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
        	"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
         <head>
          <title>404 - Not Found</title>
         </head>
         <body>
          <h1>404 - Not Found</h1>
         </body>
        </html>
        """;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);

    public InstanceMetadata Metadata { get; } = metadata;

    public MetadataResponse Handle(string method, string path, IReadOnlyDictionary<string, string> headers)
    {
        var normalized = "/" + path.Trim().TrimStart('/');
        var query = normalized.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            normalized = normalized[..query];
        }

        if (normalized == "/latest/api/token")
        {
            if (method != "PUT")
            {
                return new MetadataResponse(405, "");
            }

            if (!headers.TryGetValue(TokenTtlHeader, out var ttlText)
                || !int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl is < 1 or > 21600)
            {
                return new MetadataResponse(400, "");
            }

            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(42));
            _tokens[token] = timeProvider.GetUtcNow().AddSeconds(ttl);
            return new MetadataResponse(200, token);
        }

        if (headers.TryGetValue(TokenHeader, out var presented)
            && (!_tokens.TryGetValue(presented, out var expires) || expires < timeProvider.GetUtcNow()))
        {
            return new MetadataResponse(401, "");
        }

        if (method is not ("GET" or "HEAD"))
        {
            return new MetadataResponse(405, "");
        }

        var value = Lookup(normalized.TrimEnd('/') is { Length: > 0 } p ? p : "/");
        return value is null ? new MetadataResponse(404, NotFoundBody) : new MetadataResponse(200, value);
    }

    private string? Lookup(string path)
    {
        var m = Metadata;
        switch (path)
        {
            case "/":
                return "latest";
            case "/latest":
                return "dynamic\nmeta-data\nuser-data";
            case "/latest/meta-data":
                var keys = new List<string>
                {
                    "ami-id", "hostname", "instance-id", "instance-type", "local-hostname", "local-ipv4", "placement/",
                };
                if (m.PublicHostname is not null)
                {
                    keys.Add("public-hostname");
                }

                if (m.PublicIpv4 is not null)
                {
                    keys.Add("public-ipv4");
                }

                return string.Join('\n', keys);
            case "/latest/meta-data/ami-id":
                return m.ImageId;
            case "/latest/meta-data/instance-id":
                return m.InstanceId;
            case "/latest/meta-data/instance-type":
                return m.InstanceType;
            case "/latest/meta-data/hostname" or "/latest/meta-data/local-hostname":
                return m.LocalHostname;
            case "/latest/meta-data/local-ipv4":
                return m.LocalIpv4;
            case "/latest/meta-data/public-ipv4":
                return m.PublicIpv4;
            case "/latest/meta-data/public-hostname":
                return m.PublicHostname;
            case "/latest/meta-data/placement":
                return "availability-zone\nregion";
            case "/latest/meta-data/placement/availability-zone":
                return m.AvailabilityZone;
            case "/latest/meta-data/placement/region":
                return m.Region;
            case "/latest/user-data":
                return userData();
            case "/latest/dynamic":
                return "instance-identity/";
            case "/latest/dynamic/instance-identity":
                return "document";
            case "/latest/dynamic/instance-identity/document":
                return JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["availabilityZone"] = m.AvailabilityZone,
                    ["imageId"] = m.ImageId,
                    ["instanceId"] = m.InstanceId,
                    ["instanceType"] = m.InstanceType,
                    ["privateIp"] = m.LocalIpv4,
                    ["region"] = m.Region,
                });
            default:
                return null;
        }
    }
}
