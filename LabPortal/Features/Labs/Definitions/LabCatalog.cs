using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LabPortal.Features.Labs.Definitions;

/// <summary>
/// Every lab under the labs folder (<c>Labs/&lt;id&gt;/lab.yaml</c> and its Markdown), loaded and
/// checked once at start-up: a broken lab stops the portal with a list of what to fix rather
/// than failing in front of a student.
/// </summary>
public sealed partial class LabCatalog
{
    public static readonly string[] Languages = ["en", "ko"];

    private readonly Dictionary<string, LabDefinition> _labs;

    private LabCatalog(IEnumerable<LabDefinition> labs)
    {
        _labs = labs.ToDictionary(l => l.Id, StringComparer.Ordinal);
        Labs = [.. _labs.Values.OrderBy(l => l.Order).ThenBy(l => l.Id, StringComparer.Ordinal)];
    }

    public IReadOnlyList<LabDefinition> Labs { get; }

    public LabDefinition? Find(string? labId) => labId is not null && _labs.TryGetValue(labId, out var lab) ? lab : null;

    public static LabCatalog Load(string directory)
    {
        var problems = new List<string>();
        var labs = new List<LabDefinition>();
        if (!Directory.Exists(directory))
        {
            throw new LabDefinitionException([$"The labs folder {directory} does not exist."]);
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, "lab.yaml");
            if (!File.Exists(file))
            {
                continue;
            }

            LabDefinition lab;
            try
            {
                lab = deserializer.Deserialize<LabDefinition>(File.ReadAllText(file)) ?? new LabDefinition();
            }
            catch (YamlException e)
            {
                problems.Add($"{file}: {e.Message} (line {e.Start.Line}, column {e.Start.Column}) {e.InnerException?.Message}");
                continue;
            }

            var before = problems.Count;
            Validate(lab, Path.GetFileName(folder), problems);
            foreach (var step in lab.Steps.Where(s => s.Instructions.Length > 0))
            {
                foreach (var language in Languages)
                {
                    var markdown = Path.Combine(folder, language, step.Instructions);
                    if (File.Exists(markdown))
                    {
                        lab.Instructions[(step.Id, language)] = File.ReadAllText(markdown);
                    }
                    else
                    {
                        problems.Add($"{lab.Id}/{step.Id}: {language}/{step.Instructions} is missing.");
                    }
                }
            }

            if (problems.Count == before)
            {
                labs.Add(lab);
            }
        }

        foreach (var lab in labs.Where(l => l.ContinuesFrom is not null && !labs.Exists(other => other.Id == l.ContinuesFrom)))
        {
            problems.Add($"{lab.Id}: continuesFrom names an unknown lab '{lab.ContinuesFrom}'.");
        }

        return problems.Count > 0 ? throw new LabDefinitionException(problems) : new LabCatalog(labs);
    }

    private static void Validate(LabDefinition lab, string folderName, List<string> problems)
    {
        var where = lab.Id.Length > 0 ? lab.Id : folderName;
        if (lab.Id != folderName)
        {
            problems.Add($"{folderName}: id '{lab.Id}' must equal the folder name.");
        }

        if (!IdRegex().IsMatch(lab.Id))
        {
            problems.Add($"{where}: id must be lower-case letters, digits and hyphens.");
        }

        CheckText(lab.Title, $"{where}: title", problems);
        CheckText(lab.Summary, $"{where}: summary", problems);
        if (lab.Steps.Count == 0)
        {
            problems.Add($"{where}: a lab needs at least one step.");
        }

        var allParameters = lab.Steps.SelectMany(s => s.Parameters).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var stepIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in lab.Steps)
        {
            var at = $"{where}/{step.Id}";
            if (!IdRegex().IsMatch(step.Id) || !stepIds.Add(step.Id))
            {
                problems.Add($"{at}: step ids must be unique lower-case letters, digits and hyphens.");
            }

            CheckText(step.Title, $"{at}: title", problems);
            if (step.Instructions.Length == 0)
            {
                problems.Add($"{at}: instructions (a Markdown file name) is required.");
            }

            if (step.Kind == StepKind.Quiz)
            {
                ValidateQuiz(step, at, problems);
            }

            if (step.Kind == StepKind.Action && string.IsNullOrWhiteSpace(step.Action))
            {
                problems.Add($"{at}: an action step must name its action.");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in step.Parameters)
            {
                ValidateParameter(parameter, $"{at}/{parameter.Name}", names, problems);
            }

            foreach (Match placeholder in PlaceholderRegex().Matches(step.Cli ?? ""))
            {
                var name = placeholder.Groups["name"].Value;
                if (!name.StartsWith("outputs.", StringComparison.Ordinal) && !allParameters.Contains(name))
                {
                    problems.Add($"{at}: the cli uses {{{name}}}, which is neither a parameter of this lab nor outputs.*.");
                }
            }
        }
    }

    private static void ValidateQuiz(StepDefinition step, string at, List<string> problems)
    {
        if (step.Quiz.Count == 0)
        {
            problems.Add($"{at}: a quiz step needs at least one question.");
        }

        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var question in step.Quiz)
        {
            var q = $"{at}/{question.Id}";
            if (question.Id.Length == 0 || !questionIds.Add(question.Id))
            {
                problems.Add($"{q}: question ids must be unique and not empty.");
            }

            CheckText(question.Question, $"{q}: question", problems);
            CheckText(question.Explanation, $"{q}: explanation", problems);
            if (question.Choices.Count < 2 || question.Choices.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != question.Choices.Count)
            {
                problems.Add($"{q}: a question needs at least two choices with distinct ids.");
            }

            if (!question.Choices.Exists(c => c.Id == question.Answer))
            {
                problems.Add($"{q}: the answer '{question.Answer}' is not one of the choices.");
            }

            foreach (var choice in question.Choices)
            {
                CheckText(choice.Text, $"{q}/{choice.Id}", problems);
            }
        }
    }

    private static void ValidateParameter(ParameterDefinition parameter, string at, HashSet<string> names, List<string> problems)
    {
        if (!ParameterNameRegex().IsMatch(parameter.Name) || !names.Add(parameter.Name))
        {
            problems.Add($"{at}: parameter names must be unique camelCase identifiers.");
        }

        CheckText(parameter.Label, $"{at}: label", problems);
        if (parameter.Default is not null && parameter.ChoicesFrom is null && ParameterRules.Check(parameter, parameter.Default) is { } violation)
        {
            problems.Add($"{at}: the default '{parameter.Default}' breaks its own rule: {violation.En}");
        }

        if (parameter.Type is ParameterType.Choice && parameter.Choices.Count == 0 && parameter.ChoicesFrom is null)
        {
            problems.Add($"{at}: a choice parameter needs choices or choicesFrom.");
        }
    }

    private static void CheckText(LocalizedText? text, string at, List<string> problems)
    {
        if (text is null || string.IsNullOrWhiteSpace(text.En) || string.IsNullOrWhiteSpace(text.Ko))
        {
            problems.Add($"{at} needs both en and ko text.");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdRegex();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex ParameterNameRegex();

    /// <summary><c>{name}</c> or <c>{outputs.name}</c>; JSON such as <c>{"Key":1}</c> does not match.</summary>
    [GeneratedRegex(@"\{(?<name>[a-z][A-Za-z0-9]*|outputs\.[A-Za-z0-9]+)\}")]
    public static partial Regex PlaceholderRegex();
}
