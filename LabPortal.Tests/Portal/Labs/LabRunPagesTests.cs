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
        Assert.NotNull(step.QuerySelector("li[data-step=welcome] [aria-current=step]"));
    }

    [Fact]
    public async Task Starting_the_same_lab_twice_continues_the_active_run()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Twice");
        await StartAsync(student);

        var (_, list) = await student.GetAsync("/labs");
        Assert.Contains("Continue", list.QuerySelector("#continue-fixture-lab")!.TextContent, StringComparison.Ordinal);
        Assert.Null(list.QuerySelector("#start-fixture-lab"));
        await AssertRunCountAsync(1);
    }

    [Fact]
    public async Task Read_step_then_quiz_with_a_wrong_answer_then_the_right_one()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Quizzer");
        var welcome = await StartAsync(student);

        var wizard = new WizardDriver(student);
        var runId = RunIdOf(welcome);
        Assert.True(await wizard.ReadAsync(runId, "welcome"));

        // No answer: asked for, not graded, nothing recorded.
        var none = await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string>());
        Assert.Equal(["kinds"], none!.Unanswered);
        Assert.Empty(none.Correct);
        Assert.Equal(1, await StepRunCountAsync());

        var wrong = await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string> { ["kinds"] = "nlb" });
        Assert.False(wrong!.Passed);
        Assert.False(wrong.Correct["kinds"]);

        var right = await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string> { ["kinds"] = "alb" });
        Assert.True(right!.Passed);
        var (_, next) = await student.GetAsync(welcome.Replace("/steps/welcome", "/steps/target-group", StringComparison.Ordinal));
        Assert.Equal("todo", next.QuerySelector("#step-status-text")!.GetAttribute("data-state"));
    }

    [Fact]
    public async Task Action_step_is_locked_until_the_earlier_steps_are_done()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Skipper");
        var welcome = await StartAsync(student);
        var actionUrl = welcome.Replace("/steps/welcome", "/steps/target-group", StringComparison.Ordinal);

        var (_, page) = await student.GetAsync(actionUrl);
        Assert.Equal("locked", page.QuerySelector("#step-status-text")!.GetAttribute("data-state"));
        Assert.Null(page.QuerySelector("li[data-step=target-group] a"));

        var result = await new WizardDriver(student).SubmitAsShownAsync(RunIdOf(welcome), "target-group", new Dictionary<string, string> { ["targetGroupName"] = "web-tg", ["sshSource"] = "10.0.0.0/8" });
        Assert.False(result!.Succeeded);
        Assert.Equal("{}", await ValuesJsonAsync());
        Assert.Equal(0, await StepRunCountAsync());
    }

    [Theory]
    [InlineData("web_tg", "10.0.0.0/8", "targetGroupName", "Use only letters, digits and hyphens")]
    [InlineData("internal-web", "10.0.0.0/8", "targetGroupName", "internal-")]
    [InlineData("web-tg", "10.0.0.0/40", "sshSource", "IPv4 range")]
    [InlineData("", "10.0.0.0/8", "targetGroupName", "Enter a value")]
    public async Task Bad_action_input_is_refused_with_AWS_rule_for_the_field_and_saves_nothing(string name, string cidr, string field, string expected)
    {
        using var student = await Students.JoinAsync(_factory, _code, "Validator");
        var actionUrl = await CompleteFirstStepsAsync(student);

        var result = await new WizardDriver(student).SubmitAsShownAsync(RunIdOf(actionUrl), "target-group", new Dictionary<string, string> { ["targetGroupName"] = name, ["sshSource"] = cidr });

        Assert.False(result!.Succeeded);
        Assert.Contains(expected, result.Errors[field], StringComparison.Ordinal);
        Assert.Equal("{}", await ValuesJsonAsync());
    }

    [Fact]
    public async Task Valid_action_input_is_kept_and_fills_the_CLI_and_the_instructions()
    {
        using var student = await Students.JoinAsync(_factory, _code, "Builder");
        var actionUrl = await CompleteFirstStepsAsync(student);

        var (_, before) = await student.GetAsync(actionUrl);
        Assert.NotNull(before.QuerySelector("#p-sshSource-warning"));

        var result = await new WizardDriver(student).SubmitAsShownAsync(RunIdOf(actionUrl), "target-group", new Dictionary<string, string> { ["targetGroupName"] = "my-site-tg", ["sshSource"] = "203.0.113.7/32" });
        Assert.True(result!.Succeeded);

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
        Assert.Null(await new WizardDriver(other).ReadAsync(RunIdOf(welcome), "welcome"));

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
        var wizard = new WizardDriver(student);
        Assert.True(await wizard.ReadAsync(RunIdOf(welcome), "welcome"));
        Assert.True((await wizard.AnswerAsync(RunIdOf(welcome), "concepts", new Dictionary<string, string> { ["kinds"] = "alb" }))!.Passed);
        return welcome.Replace("/steps/welcome", "/steps/target-group", StringComparison.Ordinal);
    }

    private static int RunIdOf(string url) => int.Parse(url.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<int> StepRunCountAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().StepRuns.CountAsync();
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
