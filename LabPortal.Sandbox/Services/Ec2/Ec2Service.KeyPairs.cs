using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LabPortal.Sandbox.Wire;

namespace LabPortal.Sandbox.Services.Ec2;

public sealed partial class Ec2Service
{
    private async Task<ApiResult> CreateKeyPairAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = p.GetRequired("KeyName");
        var type = p.Get("KeyType") ?? "rsa";
        var format = p.Get("KeyFormat") ?? "pem";
        var tags = Ec2Tags.ReadSpecifications(p, "TagSpecification", "key-pair").GetValueOrDefault("key-pair") ?? new Dictionary<string, string>(StringComparer.Ordinal);

        // EC2 API reference, CreateKeyPair: up to 255 ASCII characters.
        if (name.Length > 255 || name.Any(c => c > 127))
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(name)}) for parameter keyName is invalid. Key names may only contain ASCII characters and be at most 255 long.");
        }

        if (type != "rsa")
        {
            // .NET has no Ed25519; an honest refusal beats a key that is not what was asked for.
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(type)}) for parameter keyType is invalid. This sandbox creates rsa key pairs only.");
        }

        if (format != "pem")
        {
            throw new ApiException("InvalidParameterValue", $"Value ({QueryParameters.Shorten(format)}) for parameter keyFormat is invalid. This sandbox writes pem only.");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        if (ec2.KeyPairs.Values.Any(k => k.KeyName == name))
        {
            throw new ApiException("InvalidKeyPair.Duplicate", $"The keypair '{name}' already exists.");
        }

        using var rsa = RSA.Create(2048);
#pragma warning disable CA5350 // SHA-1 is the fingerprint format AWS defines for keys it creates; it identifies, it does not protect.
        var fingerprint = SHA1.HashData(rsa.ExportPkcs8PrivateKey());
#pragma warning restore CA5350
        var key = new Ec2KeyPair
        {
            KeyPairId = Ec2Ids.New("key"),
            KeyName = name,

            // EC2 fingerprints a key it created as the SHA-1 of the PKCS#8 private key (EC2 user guide, "Verify the fingerprint").
            Fingerprint = string.Join(':', fingerprint.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
            PublicKey = OpenSshPublicKey(rsa, name),
            CreateTime = _clock.UtcNow,
            Tags = tags,
        };
        var material = rsa.ExportRSAPrivateKeyPem();
        scope.Write<Ec2RegionState>(request.Region).KeyPairs[key.KeyPairId] = key;
        return ApiResult.Xml(w =>
        {
            w.Element("keyName", key.KeyName)
                .Element("keyFingerprint", key.Fingerprint)
                .Element("keyMaterial", material)
                .Element("keyPairId", key.KeyPairId);
            if (key.Tags.Count > 0)
            {
                w.TagSet(key.Tags);
            }
        });
    }

    private async Task<ApiResult> DescribeKeyPairsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var names = p.GetList("KeyName");
        var ids = p.GetList("KeyPairId");
        var filters = p.GetFilters();
        var includePublicKey = p.GetBool("IncludePublicKey") == true;
        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var missingName = names.FirstOrDefault(n => !ec2.KeyPairs.Values.Any(k => k.KeyName == n));
        if (missingName is not null)
        {
            throw new ApiException("InvalidKeyPair.NotFound", $"The key pair '{QueryParameters.Shorten(missingName)}' does not exist");
        }

        var missingId = ids.FirstOrDefault(id => !ec2.KeyPairs.ContainsKey(id));
        if (missingId is not null)
        {
            throw new ApiException("InvalidKeyPair.NotFound", $"The key pair '{QueryParameters.Shorten(missingId)}' does not exist");
        }

        var keys = ec2.KeyPairs.Values
            .Where(k => names.Count == 0 || names.Contains(k.KeyName))
            .Where(k => ids.Count == 0 || ids.Contains(k.KeyPairId))
            .Where(k => MatchesAll(filters, f => TagFilterValues(f, k.Tags) ?? f switch
            {
                "key-name" => [k.KeyName],
                "key-pair-id" => [k.KeyPairId],
                "fingerprint" => [k.Fingerprint],
                "key-type" => [k.KeyType],
                _ => null,
            }))
            .OrderBy(k => k.KeyName, StringComparer.Ordinal)
            .ToList();
        return ApiResult.Xml(w => w.ItemSet("keySet", keys, (x, k) =>
        {
            x.Element("keyPairId", k.KeyPairId)
                .Element("keyName", k.KeyName)
                .Element("keyFingerprint", k.Fingerprint)
                .Element("keyType", k.KeyType)
                .Element("publicKey", includePublicKey ? k.PublicKey : null)
                .Element("createTime", k.CreateTime)
                .TagSet(k.Tags);
        }));
    }

    private async Task<ApiResult> DeleteKeyPairAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var p = request.Parameters;
        var name = p.Get("KeyName");
        var id = p.Get("KeyPairId");
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(id))
        {
            throw new ApiException("MissingParameter", "The request must contain the parameter KeyName or KeyPairId");
        }

        await using var scope = await _state.EnterAsync(request.AccountId, cancellationToken);
        var ec2 = scope.Read<Ec2RegionState>(request.Region);
        var key = ec2.KeyPairs.Values.FirstOrDefault(k => (id is not null && k.KeyPairId == id) || (id is null && k.KeyName == name));

        // Deleting a key pair that does not exist succeeds (EC2 API reference, DeleteKeyPair).
        if (key is not null)
        {
            scope.Write<Ec2RegionState>(request.Region).KeyPairs.Remove(key.KeyPairId);
        }

        return ApiResult.Xml(w => w.Element("return", true).Element("keyPairId", key?.KeyPairId));
    }

    /// <summary>The OpenSSH <c>ssh-rsa</c> line (RFC 4253 section 6.6: string "ssh-rsa", mpint e, mpint n).</summary>
    private static string OpenSshPublicKey(RSA rsa, string comment)
    {
        var parameters = rsa.ExportParameters(false);
        using var stream = new MemoryStream();
        WriteBlob(stream, Encoding.ASCII.GetBytes("ssh-rsa"));
        WriteBlob(stream, Mpint(parameters.Exponent!));
        WriteBlob(stream, Mpint(parameters.Modulus!));
        return $"ssh-rsa {Convert.ToBase64String(stream.ToArray())} {comment}";
    }

    private static byte[] Mpint(byte[] unsigned) => unsigned.Length > 0 && unsigned[0] >= 0x80 ? [0, .. unsigned] : unsigned;

    private static void WriteBlob(MemoryStream stream, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        stream.Write(data);
    }
}
