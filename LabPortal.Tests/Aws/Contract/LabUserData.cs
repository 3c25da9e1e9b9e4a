using System.Text;

namespace LabPortal.Tests.Aws.Contract;

/// <summary>EC2 user data travels base64-encoded (RunInstances and launch templates).</summary>
public static class LabUserData
{
    public static string Encode(string script) => Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
}
