extern alias portal;

using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using portal::LabPortal.Features.Labs.Definitions;

namespace LabPortal.Bench;

/// <summary>
/// One simulated student doing the shipped Lab 1 over HTTP as a browser without JavaScript would,
/// plus the one-second status polling htmx does while a step runs: joins a class, starts the lab,
/// answers the quiz, submits each action step with the values its form shows, checks progress where
/// the lab asks for it, opens the live panel, and finishes (tears down).
/// </summary>
internal sealed partial class Lab1Student(PortalDriver driver, string name, string labId = Lab1Student.LabId)
{
    public const string LabId = "alb-two-web-servers";

    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    private static readonly Lazy<LabCatalog> Catalog = new(() => LabCatalog.Load(Path.Combine(PortalProcess.RepositoryRoot(), "LabPortal", "Labs")));

    private LabDefinition Lab => Catalog.Value.Find(labId) ?? throw new InvalidOperationException($"Lab {labId} not found.");

    public string Name => name;

    public string? RunUrl { get; private set; }

    /// <summary>The instructor's part: signs in and creates a class students join with <paramref name="code"/>.</summary>
    public static async Task CreateClassAsync(Uri portal, string code) => await CreateClassAsync(portal, code, null);

    /// <summary>As <see cref="CreateClassAsync(Uri, string)"/> with the instructor signed in on <paramref name="signedIn"/> kept for later requests; returns the class id.</summary>
    public static async Task<int> CreateClassAsync(Uri portal, string code, PortalDriver? signedIn)
    {
        using var own = signedIn is null ? new PortalDriver(portal, new LatencyLog()) : null;
        var instructor = signedIn ?? own!;
        var (signIn, _, _) = await instructor.SubmitAsync("/account/login", "login-form", new Dictionary<string, string>
        {
            ["Input.UserName"] = PortalProcess.InstructorUserName,
            ["Input.Password"] = PortalProcess.InstructorPassword,
        });
        Expect(signIn, HttpStatusCode.Redirect, "instructor sign-in");
        var (created, _, location) = await instructor.SubmitAsync("/classes", "create-class-form", new Dictionary<string, string>
        {
            ["Input.Name"] = "Bench class " + code,
            ["Input.JoinCode"] = code,
        });
        Expect(created, HttpStatusCode.Redirect, "creating the class");
        var id = ClassId().Match(location ?? "");
        return id.Success ? int.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidOperationException($"Creating the class redirected to '{location}', not to the class.");
    }

    /// <summary>Joins the class and starts Lab 1; afterwards <see cref="RunUrl"/> is the run's address.</summary>
    public async Task JoinAndStartAsync(string classCode)
    {
        var (joined, _, _) = await driver.SubmitAsync("/join", "join-form", new Dictionary<string, string>
        {
            ["Input.JoinCode"] = classCode,
            ["Input.DisplayName"] = name,
            ["Input.Password"] = name + "-password",
            ["Input.ConfirmPassword"] = name + "-password",
        });
        Expect(joined, HttpStatusCode.Redirect, $"{name} joining {classCode}");
        var (started, _, location) = await driver.SubmitAsync("/labs", "start-" + labId, new Dictionary<string, string>());
        Expect(started, HttpStatusCode.Redirect, $"{name} starting {labId}");
        RunUrl = location ?? throw new InvalidOperationException("Starting the lab did not redirect to the run.");
        await driver.FollowAsync(RunUrl);
    }

    /// <summary>The whole lab, from joining to tearing down.</summary>
    public async Task CompleteAsync(string classCode)
    {
        await JoinAndStartAsync(classCode);
        await BuildThroughTargetGroupAsync();
        await RunActionAsync("load-balancer");
        await CheckUntilPassedAsync("verify-traffic");
        await driver.GetAsync($"{RunUrl}/live");
        await RunActionAsync("finish");
    }

    /// <summary>Quiz, security group, instances, their check, and the target group with both registered.</summary>
    public async Task BuildThroughTargetGroupAsync()
    {
        await PassQuizAsync("concepts");
        await RunActionAsync("security-group");
        await RunActionAsync("instances");
        await CheckUntilPassedAsync("open-instances");
        await RunActionAsync("target-group");
    }

    public async Task PassQuizAsync(string stepId)
    {
        var answers = Lab.Step(stepId)!.Quiz.ToDictionary(q => $"Answers[{q.Id}]", q => q.Answer);
        var (status, _, location) = await driver.SubmitAsync($"{RunUrl}/steps/{stepId}", "quiz-form", answers);
        Expect(status, HttpStatusCode.Redirect, $"{name} answering the quiz");
        await driver.FollowAsync(location!);
    }

    /// <summary>Submits the step's form as shown, then polls its status fragment every second as htmx does.</summary>
    public async Task RunActionAsync(string stepId)
    {
        var (status, html, location) = await driver.SubmitAsync($"{RunUrl}/steps/{stepId}", "action-form", new Dictionary<string, string>(), asShown: true);
        if (status != HttpStatusCode.Redirect)
        {
            var error = InvalidFeedback().Match(html);
            throw new InvalidOperationException($"{name}: submitting {stepId} answered {(int)status} {(error.Success ? error.Groups[1].Value : "")}");
        }

        await driver.FollowAsync(location!);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (polled, fragment, _) = await driver.GetAsync($"{RunUrl}/steps/{stepId}/status", "fragment");
            Expect(polled, HttpStatusCode.OK, $"{name} polling the status of {stepId}");
            if (fragment.Contains("text-success\" id=\"step-status-text\"", StringComparison.Ordinal))
            {
                await driver.GetAsync($"{RunUrl}/steps/{stepId}");
                return;
            }

            if (fragment.Contains("text-danger\" id=\"step-status-text\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{name}: step {stepId} failed: {Squash(fragment)}");
            }

            if (deadline.Elapsed > StepLimit)
            {
                throw new TimeoutException($"{name}: step {stepId} still running after {StepLimit.TotalMinutes:0} min.");
            }
        }
    }

    /// <summary>Presses "Check my progress" until every check passes (targets need a few health checks first).</summary>
    public async Task CheckUntilPassedAsync(string stepId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (status, html, _) = await driver.SubmitAsync($"{RunUrl}/steps/{stepId}", "check-form", new Dictionary<string, string>());
            Expect(status, HttpStatusCode.OK, $"{name} checking {stepId}");
            var verdicts = Verdict().Matches(html).Select(m => m.Groups[1].Value).ToList();
            if (verdicts.Count > 0 && verdicts.All(v => v == "Passed"))
            {
                return;
            }

            if (deadline.Elapsed > StepLimit)
            {
                throw new TimeoutException($"{name}: {stepId} checks not all passed after {StepLimit.TotalMinutes:0} min: {string.Join(", ", verdicts)}.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static void Expect(HttpStatusCode actual, HttpStatusCode expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} answered {(int)actual}, expected {(int)expected}.");
        }
    }

    private static string Squash(string html)
    {
        var text = string.Join(' ', Tags().Replace(html, " ").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return WebUtility.HtmlDecode(text.Length > 300 ? text[..300] : text);
    }

    [GeneratedRegex("class=\"invalid-feedback[^\"]*\"[^>]*>([^<]*)<")]
    private static partial Regex InvalidFeedback();

    [GeneratedRegex("data-verdict=\"([^\"]*)\"")]
    private static partial Regex Verdict();

    [GeneratedRegex("classes/([0-9]+)")]
    private static partial Regex ClassId();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
