using System.Net;
using System.Text.Json;
using LabPortal.Infrastructure.Data;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Portal.Labs;

public sealed class LabRunPagesTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;
    private string _code = "";

    public async Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        _code = await Students.CreateClassAsync(_factory, "LABS01");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Student_starts_a_lab_and_lands_on_its_first_step()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Starter");

        var (_, list) = await student.GetAsync("/labs");
        Assert.Equal("Fixture lab", list.QuerySelector("#lab-fixture-lab")!.TextContent.Trim());

        var stepUrl = await StartAsync(student);

        Assert.EndsWith("/steps/welcome", stepUrl, StringComparison.Ordinal);
        var (response, step) = await student.GetAsync(stepUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Welcome", step.QuerySelector("#step-title")!.TextContent.Trim());
        Assert.Contains("This lab tests the engine.", step.QuerySelector("#instructions")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("step", step.QuerySelector("[aria-current=step]") is null ? null : "step");
    }

    [Fact]
    public async Task Starting_the_same_lab_twice_continues_the_active_run()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Twice");
        await StartAsync(student);

        var (_, list) = await student.GetAsync("/labs");
        Assert.Contains("Continue", list.QuerySelector("#lab-fixture-lab")!.ParentElement!.TextContent, StringComparison.Ordinal);
        await AssertRunCountAsync(1);
    }

    [Fact]
    public async Task Read_step_then_quiz_with_a_wrong_answer_then_the_right_one()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Quizzer");
        var welcome = await StartAsync(student);

        var (read, _) = await student.SubmitAsync(welcome, "#read-form", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        var quizUrl = read.Headers.Location!.OriginalString;
        Assert.EndsWith("/steps/concepts", quizUrl, StringComparison.Ordinal);

        var (wrong, wrongPage) = await student.SubmitAsync(quizUrl, "#quiz-form", new Dictionary<string, string> { ["Answers[kinds]"] = "nlb" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The ALB works at layer 7", wrongPage.QuerySelector("#feedback-kinds")!.TextContent, StringComparison.Ordinal);

        var (right, _) = await student.SubmitAsync(quizUrl, "#quiz-form", new Dictionary<string, string> { ["Answers[kinds]"] = "alb" });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.EndsWith("/steps/target-group", right.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Action_step_is_locked_until_the_earlier_steps_are_done()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Skipper");
        var welcome = await StartAsync(student);
        var actionUrl = welcome.Replace("/steps/welcome", "/steps/target-group", StringComparison.Ordinal);

        var (_, page) = await student.GetAsync(actionUrl);
        Assert.NotNull(page.QuerySelector("#step-locked"));

        var (response, _) = await student.SubmitAsync(actionUrl, "#action-form", new Dictionary<string, string> { ["Values[targetGroupName]"] = "web-tg", ["Values[sshSource]"] = "10.0.0.0/8" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{}", await ValuesJsonAsync());
    }

    [Theory]
    [InlineData("web_tg", "10.0.0.0/8", "p-targetGroupName-error", "Use only letters, digits and hyphens")]
    [InlineData("internal-web", "10.0.0.0/8", "p-targetGroupName-error", "internal-")]
    [InlineData("web-tg", "10.0.0.0/40", "p-sshSource-error", "IPv4 range")]
    [InlineData("", "10.0.0.0/8", "p-targetGroupName-error", "Enter a value")]
    public async Task Bad_action_input_shows_AWS_rule_beside_the_field_and_saves_nothing(string name, string cidr, string errorId, string expected)
    {
        using var student = await Students.JoinAsync(_factory, _code, "Validator");
        var actionUrl = await CompleteFirstStepsAsync(student);

        var (response, page) = await student.SubmitAsync(actionUrl, "#action-form", new Dictionary<string, string> { ["Values[targetGroupName]"] = name, ["Values[sshSource]"] = cidr });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, page.QuerySelector($"#{errorId}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.QuerySelector("#" + errorId.Replace("-error", "", StringComparison.Ordinal))!.GetAttribute("aria-invalid"));
        Assert.Equal("{}", await ValuesJsonAsync());
    }

    [Fact]
    public async Task Valid_action_input_is_kept_and_fills_the_CLI_and_the_instructions()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Builder");
        var actionUrl = await CompleteFirstStepsAsync(student);

        var (_, before) = await student.GetAsync(actionUrl);
        Assert.NotNull(before.QuerySelector("#p-sshSource-warning"));

        var (response, _) = await student.SubmitAsync(actionUrl, "#action-form", new Dictionary<string, string> { ["Values[targetGroupName]"] = "my-site-tg", ["Values[sshSource]"] = "203.0.113.7/32" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(await ValuesJsonAsync())!;
        Assert.Equal("my-site-tg", values["targetGroupName"]);
        var (_, after) = await student.GetAsync(actionUrl);
        Assert.Contains("--name my-site-tg", after.QuerySelector("#cli")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("my-site-tg", after.QuerySelector("#instructions strong")!.TextContent, StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("#p-sshSource-warning"));
    }

    [Fact]
    public async Task Step_page_is_in_Korean_for_a_Korean_student()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Jimin", acceptLanguage: "ko");
        var url = await StartAsync(student);

        var (_, page) = await student.GetAsync(url);
        Assert.Equal("시작하기", page.QuerySelector("#step-title")!.TextContent.Trim());
        Assert.Contains("엔진을 시험하는 실습입니다.", page.QuerySelector("#instructions")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_students_run_is_not_found_and_cannot_be_changed()
    {
        using var owner = await Students.JoinAsync(_factory, _code, "Owner");
        using var other = await Students.JoinAsync(_factory, _code, "Other");
        var welcome = await StartAsync(owner);
        var runUrl = welcome[..welcome.IndexOf("/steps/", StringComparison.Ordinal)];

        var (run, _) = await other.GetAsync(runUrl);
        var (step, _) = await other.GetAsync(welcome);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, step.StatusCode);

        using var scope = _factory.Services.CreateScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().StepRuns.CountAsync());
    }

    private static async Task<string> StartAsync(PortalClient student)
    {
        var (started, _) = await student.SubmitAsync("/labs", "#start-fixture-lab", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var (run, _) = await student.GetAsync(started.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        var location = run.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/');
    }

    private static async Task<string> CompleteFirstStepsAsync(PortalClient student)
    {
        var welcome = await StartAsync(student);
        var (read, _) = await student.SubmitAsync(welcome, "#read-form", new Dictionary<string, string>());
        var (quiz, _) = await student.SubmitAsync(read.Headers.Location!.OriginalString, "#quiz-form", new Dictionary<string, string> { ["Answers[kinds]"] = "alb" });
        return quiz.Headers.Location!.OriginalString;
    }

    private async Task<string> ValuesJsonAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().LabRuns.Select(r => r.ValuesJson).SingleAsync();
    }

    private async Task AssertRunCountAsync(int expected)
    {
        using var scope = _factory.Services.CreateScope();
        Assert.Equal(expected, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().LabRuns.CountAsync());
    }
}
