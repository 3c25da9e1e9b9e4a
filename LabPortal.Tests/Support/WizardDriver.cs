using LabPortal.Features.LabRuns;
using LabPortal.Features.LabRuns.Engine;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Support;

/// <summary>
/// Does what the interactive wizard's buttons do, through the same <see cref="LabWizard"/> calls the
/// page makes, on behalf of the signed-in student of <paramref name="student"/> (in-process portals
/// only). The browser tests cover the page itself; these flows cover the labs' cloud work.
/// </summary>
public sealed class WizardDriver(PortalClient student)
{
    private int _userId;

    public LabWizard Wizard => Services.GetRequiredService<LabWizard>();

    private IServiceProvider Services => student.Services ?? throw new InvalidOperationException("This student's portal is not in the test process: drive it with a browser.");

    public async Task<int> UserIdAsync()
    {
        if (_userId == 0)
        {
            using var scope = Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var name = student.UserName ?? throw new InvalidOperationException("The client has not signed in.");
            _userId = await db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync();
        }

        return _userId;
    }

    public async Task<QuizOutcome?> AnswerAsync(int runId, string stepId, IDictionary<string, string> answers) =>
        await Wizard.SubmitQuizAsync(await UserIdAsync(), runId, stepId, answers.ToDictionary(a => Strip(a.Key, "Answers"), a => a.Value));

    public async Task<bool?> ReadAsync(int runId, string stepId) => await Wizard.CompleteReadAsync(await UserIdAsync(), runId, stepId);

    public async Task<IReadOnlyList<CheckResult>?> CheckAsync(int runId, string stepId) => await Wizard.CheckAsync(await UserIdAsync(), runId, stepId);

    /// <summary>Submits an action step with the values its form starts from (saved values, else defaults, else the first listed run-time choice) plus <paramref name="overrides"/>.</summary>
    public async Task<Infrastructure.Forms.FormResult<int>?> SubmitAsShownAsync(int runId, string stepId, IDictionary<string, string>? overrides = null)
    {
        var userId = await UserIdAsync();
        var view = await Wizard.LoadAsync(userId, runId);
        if (view?.Step(stepId) is not { } step)
        {
            return null;
        }

        var values = step.Definition.Parameters.ToDictionary(p => p.Name, p => view.Placeholders.TryGetValue(p.Name, out var v) ? v : p.Default);
        if (step.Definition.Parameters.Any(p => p.ChoicesFrom is not null) && await Wizard.ChoicesAsync(userId, runId, stepId) is { } choices)
        {
            foreach (var (name, listed) in choices)
            {
                if (listed is { Count: > 0 } && !listed.Any(c => c.Value == values.GetValueOrDefault(name)))
                {
                    values[name] = listed[0].Value;
                }
            }
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            values[Strip(key, "Values")] = value;
        }

        return await Wizard.SubmitActionAsync(userId, runId, stepId, values);
    }

    /// <summary>Form field names of the old pages (<c>Values[name]</c>, <c>Answers[id]</c>) to plain names.</summary>
    private static string Strip(string key, string prefix) =>
        key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']') ? key[(prefix.Length + 1)..^1] : key;
}
