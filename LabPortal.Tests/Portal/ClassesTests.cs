using System.Net;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal;

public sealed class ClassesTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly PortalFactory _factory;

    public ClassesTests()
    {
        _factory = new PortalFactory(_data.Path);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Instructor_creates_a_class_and_sees_its_join_link()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (created, _) = await CreateClassAsync(client, "AWS 101", "");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        Assert.EndsWith("?created=true", created.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (response, page) = await client.GetAsync(created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("AWS 101", page.QuerySelector("h1")!.TextContent.Trim());
        var code = page.QuerySelector("#join-code")!.TextContent.Trim();
        Assert.Equal($"Class AWS 101 created. Share the join link or the code {code} with your students.", page.QuerySelector("#created-message")!.TextContent.Trim());
        Assert.Matches("^[A-Z2-9]{6}$", code);
        Assert.EndsWith("/join/" + code, ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#join-link")!).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Student_joins_with_the_code_and_lands_on_the_lab_list()
    {
        var code = await CreateClassAsInstructorAsync("Cloud basics", "CLOUD1");
        using var student = _factory.CreatePortalClient();

        var (joined, _) = await JoinAsync(student, code.ToLowerInvariant(), "Minji Kim", "minji-password");
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.EndsWith("labs?joined=true", joined.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var (labs, page) = await student.GetAsync("/labs?joined=true");
        Assert.Equal(HttpStatusCode.OK, labs.StatusCode);
        Assert.Equal($"Welcome! You joined Cloud basics ({PortalFactory.InstructorUserName}). Start with the first lab below.", page.QuerySelector("#joined-message")!.TextContent.Trim());
        Assert.Equal("Fixture lab", page.QuerySelector("#lab-fixture-lab")!.TextContent.Trim());
        Assert.Contains("Minji Kim", page.QuerySelector("header")!.TextContent, StringComparison.Ordinal);

        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var membership = await db.ClassMemberships.Include(m => m.User).Include(m => m.Classroom).SingleAsync(m => m.Role == UserRole.Student);
        Assert.Equal(("Minji Kim", "CLOUD1"), (membership.User.DisplayName, membership.Classroom.JoinCode));
    }

    [Fact]
    public async Task Join_link_names_the_class_and_its_instructor_and_an_unknown_code_names_nothing()
    {
        var code = await CreateClassAsInstructorAsync("Cloud basics", "NAMED1");
        using var student = _factory.CreatePortalClient();

        var (_, page) = await student.GetAsync("/join/" + code.ToLowerInvariant());
        var (_, unknown) = await student.GetAsync("/join/NOSUCH");
        using var korean = _factory.CreatePortalClient("ko");
        var (_, koreanPage) = await korean.GetAsync("/join/" + code);

        Assert.Equal($"You are joining Cloud basics, taught by {PortalFactory.InstructorUserName}.", page.QuerySelector("#join-target")!.TextContent.Trim());
        Assert.Null(unknown.QuerySelector("#join-target"));
        Assert.Equal($"{PortalFactory.InstructorUserName} 강사의 Cloud basics 수업에 참여합니다.", koreanPage.QuerySelector("#join-target")!.TextContent.Trim());
    }

    [Fact]
    public async Task Student_can_sign_in_again_with_the_name_and_password_chosen_at_join()
    {
        var code = await CreateClassAsInstructorAsync("Again", "AGAIN1");
        using (var first = _factory.CreatePortalClient())
        {
            await JoinAsync(first, code, "Jisoo", "jisoo-password");
        }

        using var second = _factory.CreatePortalClient();
        var response = await second.SignInAsync("jisoo", "jisoo-password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Student_gets_403_on_instructor_pages()
    {
        var code = await CreateClassAsInstructorAsync("Forbidden", "FORBID");
        using var student = _factory.CreatePortalClient();
        await JoinAsync(student, code, "Curious Student", "curious-password");

        var (list, listPage) = await student.GetAsync("/classes");
        var (detail, _) = await student.GetAsync("/classes/1");

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, detail.StatusCode);
        Assert.Contains("Not allowed", listPage.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Ann", "password-1", "password-1", "code-error", "Enter the join code")]
    [InlineData("WRONG9", "Ann", "password-1", "password-1", "code-error", "No class has this join code")]
    [InlineData("@CODE", "", "password-1", "password-1", "display-name-error", "Enter a name")]
    [InlineData("@CODE", "This name is much longer than thirty-two characters", "password-1", "password-1", "display-name-error", "2 to 32 characters")]
    [InlineData("@CODE", "<script>", "password-1", "password-1", "display-name-error", "Use letters, digits")]
    [InlineData("@CODE", "Ann", "short", "short", "new-password-error", "at least 8 characters")]
    [InlineData("@CODE", "Ann", "password-1", "password-2", "confirm-password-error", "The two passwords differ")]
    public async Task Bad_join_input_shows_a_message_beside_the_field_and_creates_nobody(
        string code, string name, string password, string confirm, string errorId, string expected)
    {
        var realCode = await CreateClassAsInstructorAsync("Validation", "VALID8");
        using var student = _factory.CreatePortalClient();

        var (response, page) = await JoinAsync(student, code.Replace("@CODE", realCode, StringComparison.Ordinal), name, password, confirm);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, page.QuerySelector($"#{errorId}")!.TextContent, StringComparison.Ordinal);
        await AssertStudentCountAsync(0);
    }

    [Fact]
    public async Task Duplicate_display_name_is_refused_whatever_the_case()
    {
        var code = await CreateClassAsInstructorAsync("Dupes", "DUPES1");
        using (var first = _factory.CreatePortalClient())
        {
            await JoinAsync(first, code, "Hana", "hana-password");
        }

        using var second = _factory.CreatePortalClient();
        var (response, page) = await JoinAsync(second, code, "HANA", "other-password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("taken", page.QuerySelector("#display-name-error")!.TextContent, StringComparison.Ordinal);
        await AssertStudentCountAsync(1);
    }

    [Fact]
    public async Task Join_errors_are_in_Korean_for_a_Korean_browser()
    {
        using var student = _factory.CreatePortalClient(acceptLanguage: "ko");
        var (_, page) = await JoinAsync(student, "NOPE99", "Ann", "password-1");

        Assert.Equal("이 참여 코드를 가진 수업이 없습니다. 강사에게 코드를 확인하세요.", page.QuerySelector("#code-error")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("", "ABCD", "class-name-error", "Enter a class name")]
    [InlineData("Too long", "AB", "join-code-error", "4 to 12 letters or digits")]
    [InlineData("Taken", "TAKEN1", "join-code-error", "Another class uses this join code")]
    public async Task Bad_class_input_shows_a_message_and_creates_nothing(string name, string joinCode, string errorId, string expected)
    {
        await CreateClassAsInstructorAsync("Existing", "TAKEN1");
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();

        var (response, page) = await CreateClassAsync(client, name, joinCode);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, page.QuerySelector($"#{errorId}")!.TextContent, StringComparison.Ordinal);
        using var scope = _factory.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Classrooms.CountAsync());
    }

    [Fact]
    public async Task Instructor_gets_404_for_a_class_that_does_not_exist()
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();
        var (response, _) = await client.GetAsync("/classes/4242");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> CreateClassAsInstructorAsync(string name, string code)
    {
        using var client = _factory.CreatePortalClient();
        await client.SignInAsInstructorAsync();
        var (response, _) = await CreateClassAsync(client, name, code);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return code;
    }

    private static Task<(HttpResponseMessage, AngleSharp.Dom.IDocument)> CreateClassAsync(PortalClient client, string name, string code) =>
        client.SubmitAsync("/classes", "#create-class-form", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.JoinCode"] = code,
        });

    private static Task<(HttpResponseMessage, AngleSharp.Dom.IDocument)> JoinAsync(PortalClient client, string code, string name, string password, string? confirm = null) =>
        client.SubmitAsync("/join", "#join-form", new Dictionary<string, string>
        {
            ["Input.JoinCode"] = code,
            ["Input.DisplayName"] = name,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm ?? password,
        });

    private async Task AssertStudentCountAsync(int expected)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(expected, await db.UserRoles.CountAsync(r => r.RoleId == Roles.StudentId));
    }
}
