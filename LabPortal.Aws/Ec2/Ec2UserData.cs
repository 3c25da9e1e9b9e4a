using System.Text;

namespace LabPortal.Aws.Ec2;

/// <summary>
/// EC2 takes user data base64-encoded (<c>RunInstances.UserData</c>, <c>RequestLaunchTemplateData.UserData</c>).
/// botocore encodes it for its callers; these clients send members as given, so encode here.
/// See <see href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html">Run commands when you launch an EC2 instance with user data</see>.
/// </summary>
public static class Ec2UserData
{
    /// <summary>Encodes a script (UTF-8) as base64 for <c>UserData</c>.</summary>
    /// <param name="script">The shell script, e.g. <c>#!/bin/bash ...</c>.</param>
    /// <returns>The base64 text.</returns>
    public static string Encode(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
    }

    /// <summary>Decodes base64 user data (or console output) back to text.</summary>
    /// <param name="base64">The base64 text.</param>
    /// <returns>The UTF-8 text.</returns>
    public static string Decode(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
    }
}
