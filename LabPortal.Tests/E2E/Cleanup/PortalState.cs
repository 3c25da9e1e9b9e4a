using System.Net;
using LabPortal.Features.Accounts;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>Reads and arranges the portal's database for the cleanup tests.</summary>
public static class PortalState
{
    public static async Task<T> ReadAsync<T>(PortalFactory factory, Func<PortalDbContext, Task<T>> read)
    {
        using var scope = factory.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>Polls the database until <paramref name="done"/> holds; fails with <paramref name="what"/> after the limit.</summary>
    public static async Task<T> WaitForAsync<T>(PortalFactory factory, Func<PortalDbContext, Task<T>> read, Func<T, bool> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await ReadAsync(factory, read);
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}; last seen: {value}");
            }

            await Task.Delay(100);
        }
    }

    public static Task<int> ClassIdAsync(PortalFactory factory, string joinCode) =>
        ReadAsync(factory, db => db.Classrooms.Where(c => c.JoinCode == joinCode).Select(c => c.Id).SingleAsync());

    public static Task<int> UserIdAsync(PortalFactory factory, string displayName) =>
        ReadAsync(factory, db => db.Users.Where(u => u.DisplayName == displayName).Select(u => u.Id).SingleAsync());

    public static Task SetLimitsAsync(PortalFactory factory, int classId, int idleMinutes, int lifetimeMinutes) =>
        ReadAsync(factory, db => db.Classrooms.Where(c => c.Id == classId).ExecuteUpdateAsync(u => u.SetProperty(c => c.IdleLimitMinutes, idleMinutes).SetProperty(c => c.MaxLifetimeMinutes, lifetimeMinutes)));

    /// <summary>A second instructor (the portal seeds one; others are made by hand here), signed in, with a class of their own.</summary>
    public static async Task<PortalClient> OtherInstructorAsync(PortalFactory factory, string userName, string classCode)
    {
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            await accounts.CreateUserAsync(userName, userName, userName + "-password-1", mustChangePassword: false, Roles.Instructor);
        }

        var client = factory.CreatePortalClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(userName, userName + "-password-1")).StatusCode);
        var (created, _) = await client.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string> { ["Input.Name"] = "Other " + classCode, ["Input.JoinCode"] = classCode });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return client;
    }

    /// <summary>The antiforgery token of a page's first form, for posting to an endpoint that has no form of its own on that page.</summary>
    public static async Task<string> AntiforgeryTokenAsync(PortalClient client, string path)
    {
        var (_, page) = await client.GetAsync(path);
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? throw new InvalidOperationException($"No antiforgery token on {path}.");
    }

    /// <summary>Posts a reset form as the dashboard sends it: the token and the ticked "I understand" box.</summary>
    public static Task<HttpResponseMessage> ResetAsync(PortalClient client, string path, string? token) =>
        PostAsync(client, path, token, new Dictionary<string, string> { ["confirm"] = "true" });

    public static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, string? token, IDictionary<string, string>? fields = null)
    {
        var values = new List<KeyValuePair<string, string>>(fields ?? new Dictionary<string, string>());
        if (token is not null)
        {
            values.Add(new("__RequestVerificationToken", token));
        }

        using var content = new FormUrlEncodedContent(values);
        return await client.Http.PostAsync(path, content);
    }
}
