using System.Net;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>Only a class's own instructors reach its page, its dashboard and its learners' pages (prerendered: the status is the page's).</summary>
public sealed class InstructorAuthorizationTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private ClassSetup _class = null!;

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        _class = await ClassSetup.CreateAsync(_factory, "AUTHZ1", "Minji", "Jisoo");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    private string[] Urls =>
    [
        $"/classes/{_class.ClassId}/dashboard",
        $"/classes/{_class.ClassId}/learners/{_class.StudentId("Minji")}",
        $"/classes/{_class.ClassId}/learners/{_class.StudentId("Jisoo")}",
        $"/classes/{_class.ClassId}",
    ];

    [Fact]
    public async Task The_class_instructor_is_let_in_everywhere()
    {
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        foreach (var url in Urls)
        {
            Assert.Equal((url, HttpStatusCode.OK), (url, await StatusAsync(instructor, url)));
        }
    }

    [Fact]
    public async Task Another_class_instructor_gets_403()
    {
        using var other = await ClassSetup.OtherInstructorAsync(_factory, "other-teacher");

        foreach (var url in Urls)
        {
            Assert.Equal((url, HttpStatusCode.Forbidden), (url, await StatusAsync(other, url)));
        }
    }

    [Theory]
    [InlineData("Minji")]
    [InlineData("Jisoo")]
    public async Task Every_student_gets_403_including_on_their_own_learner_page(string name)
    {
        using var student = await _class.SignInStudentAsync(name);

        foreach (var url in Urls)
        {
            Assert.Equal((url, HttpStatusCode.Forbidden), (url, await StatusAsync(student, url)));
        }
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in()
    {
        using var anonymous = _factory.CreatePortalClient();

        foreach (var url in Urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await anonymous.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal((url, HttpStatusCode.Redirect), (url, response.StatusCode));
            Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    /// <summary>The status only.</summary>
    private static async Task<HttpStatusCode> StatusAsync(PortalClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
