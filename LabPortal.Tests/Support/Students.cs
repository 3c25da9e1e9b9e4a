using System.Net;

namespace LabPortal.Tests.Support;

/// <summary>Signs students in the way they really arrive: an instructor makes a class, the student joins it.</summary>
public static class Students
{
    public static async Task<string> CreateClassAsync(PortalFactory factory, string code)
    {
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (response, _) = await instructor.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string>
        {
            ["Input.Name"] = "Class " + code,
            ["Input.JoinCode"] = code,
        });
        return response.StatusCode == HttpStatusCode.Redirect ? code : throw new InvalidOperationException($"Creating class {code} answered {(int)response.StatusCode}.");
    }

    public static async Task<PortalClient> JoinAsync(PortalFactory factory, string code, string name, string acceptLanguage = "en")
    {
        var client = factory.CreatePortalClient(acceptLanguage);
        var (response, _) = await client.SubmitAsync("/join", "#join-form", new Dictionary<string, string>
        {
            ["Input.JoinCode"] = code,
            ["Input.DisplayName"] = name,
            ["Input.Password"] = name + "-password",
            ["Input.ConfirmPassword"] = name + "-password",
        });
        return response.StatusCode == HttpStatusCode.Redirect ? client : throw new InvalidOperationException($"{name} could not join {code}: {(int)response.StatusCode}.");
    }
}
