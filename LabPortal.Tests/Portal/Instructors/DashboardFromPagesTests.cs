using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary>A student works through the fixture lab's pages; the instructor's matrix follows.</summary>
public sealed class DashboardFromPagesTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private PortalFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new PortalFactory(_data.Path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Matrix_follows_a_student_reading_failing_then_passing_a_quiz()
    {
        var setup = await ClassSetup.CreateAsync(_factory, "PAGES1", "Hana");
        using var student = await setup.SignInStudentAsync("Hana");
        var (started, _) = await student.SubmitAsync("/labs", "#start-fixture-lab", new Dictionary<string, string>());
        var (runPage, _) = await student.GetAsync(started.Headers.Location!.OriginalString);
        var location = runPage.Headers.Location!;
        var welcome = location.IsAbsoluteUri ? location.PathAndQuery : "/" + location.OriginalString.TrimStart('/');
        var runId = int.Parse(welcome.Split('/', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var wizard = new WizardDriver(student);
        Assert.True(await wizard.ReadAsync(runId, "welcome"));
        Assert.False((await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string> { ["kinds"] = "nlb" }))!.Passed);
        using var instructor = _factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();

        var afterWrong = await StatesAsync(instructor, setup);
        Assert.True((await wizard.AnswerAsync(runId, "concepts", new Dictionary<string, string> { ["kinds"] = "alb" }))!.Passed);
        var afterRight = await StatesAsync(instructor, setup);

        Assert.Equal(["Succeeded", "Failed", "NotStarted"], afterWrong);
        Assert.Equal(["Succeeded", "Succeeded", "NotStarted"], afterRight);
    }

    private static async Task<List<string?>> StatesAsync(PortalClient instructor, ClassSetup setup)
    {
        var (_, page) = await instructor.GetAsync($"/classes/{setup.ClassId}/dashboard");
        return [.. DashboardHtml.Cells(page, "fixture-lab", setup.StudentId("Hana")).Values.Select(cell => cell.State)];
    }
}
