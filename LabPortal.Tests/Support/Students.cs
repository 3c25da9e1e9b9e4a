using System.Net;

namespace LabPortal.Tests.Support;

/// <summary>Signs students in the way they really arrive: an instructor makes a class, the student joins it.</summary>
public static class Students
{
    public static Task<string> CreateClassAsync(PortalFactory factory, string code) => CreateClassAsync(factory.CreatePortalClient(), code);

    /// <summary>Signs <paramref name="instructor"/> (a fresh client, disposed here) in as the initial instructor and creates the class.</summary>
    public static async Task<string> CreateClassAsync(PortalClient instructor, string code)
    {
        using (instructor)
        {
            await instructor.SignInAsInstructorAsync();
            var (response, _) = await instructor.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string>
            {
                ["Input.Name"] = "Class " + code,
                ["Input.JoinCode"] = code,
            });
            return response.StatusCode == HttpStatusCode.Redirect ? code : throw new InvalidOperationException($"Creating class {code} answered {(int)response.StatusCode}.");
        }
    }

    public static Task<PortalClient> JoinAsync(PortalFactory factory, string code, string name, string acceptLanguage = "en") =>
        JoinAsync(factory.CreatePortalClient(acceptLanguage), code, name);

    /// <summary>Joins the class with <paramref name="client"/> (a fresh client) and returns it, signed in.</summary>
    public static async Task<PortalClient> JoinAsync(PortalClient client, string code, string name)
    {
        var (response, _) = await client.SubmitAsync("/join", "#join-form", new Dictionary<string, string>
        {
            ["Input.JoinCode"] = code,
            ["Input.DisplayName"] = name,
            ["Input.Password"] = name + "-password",
            ["Input.ConfirmPassword"] = name + "-password",
        });
        client.UserName = name;
        return response.StatusCode == HttpStatusCode.Redirect ? client : throw new InvalidOperationException($"{name} could not join {code}: {(int)response.StatusCode}.");
    }
}
