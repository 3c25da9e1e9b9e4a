namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Infrastructure;

/// <summary>What features may use: the allowed direction.</summary>
public static class SharedHelper
{
    public static string Tidy(string text) => text.Trim();
}
