using System.IO.Compression;
using System.Text;
using LabPortal.Sandbox.Runtime;

namespace LabPortal.Tests.Sandbox.Runtime;

public sealed class UserDataTests
{
    [Theory]
    [InlineData("#!/bin/bash\necho hi", "ShellScript")]
    [InlineData("#!/bin/sh\necho hi", "ShellScript")]
    [InlineData("#!/usr/bin/env bash\necho hi", "ShellScript")]
    [InlineData("\n\n#!/bin/bash\necho hi", "ShellScript")]
    [InlineData("#!/usr/bin/python3\nprint(1)", "Unsupported")]
    [InlineData("#cloud-config\nruncmd: []", "CloudConfig")]
    [InlineData("#include\nhttps://example.com/a.sh", "Unsupported")]
    [InlineData("yum install -y nginx", "NotMultipart")]
    [InlineData("   ", "None")]
    [InlineData(null, "None")]
    public void Classify_follows_cloud_init_headers(string? userData, string expected)
    {
        Assert.Equal(Enum.Parse<UserDataKind>(expected), UserData.Classify(userData).Kind);
    }

    [Fact]
    public void Classify_decodes_base64_when_it_wraps_a_script()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\necho hi\n"));

        Assert.Equal((UserDataKind.ShellScript, "#!/bin/bash\necho hi\n"), UserData.Classify(encoded));
    }

    [Fact]
    public void Classify_decompresses_gzip_when_base64_wraps_it()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("#!/bin/bash\necho zipped\n"));
        }

        Assert.Equal(UserDataKind.ShellScript, UserData.Classify(Convert.ToBase64String(buffer.ToArray())).Kind);
    }

    [Fact]
    public void Classify_keeps_text_when_it_only_looks_like_base64()
    {
        Assert.Equal((UserDataKind.NotMultipart, "abcdabcd"), UserData.Classify("abcdabcd"));
    }
}
