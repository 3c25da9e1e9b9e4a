using LabPortal.Infrastructure.Localization;

namespace LabPortal.Features.Labs.Definitions;

/// <summary>A broken rule, said in both languages: the learner reads <see cref="Text"/>, a lab author's report uses <see cref="En"/>.</summary>
public sealed record RuleViolation(string En, string Ko)
{
    public string Text => L.T(En, Ko);
}
