using LabPortal.Features.Labs.Definitions;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Labs;

public sealed class LabCatalogTests : IDisposable
{
    private const string ValidLab = """
        id: sample-lab
        order: 2
        title: { en: "Sample", ko: "예제" }
        summary: { en: "A sample lab", ko: "예제 실습" }
        region: ap-northeast-2
        estimatedMinutes: 10
        steps:
          - id: concepts
            kind: quiz
            title: { en: "Concepts", ko: "개념" }
            instructions: concepts.md
            quiz:
              - id: q1
                question: { en: "Which?", ko: "어느 것?" }
                choices:
                  - { id: a, text: { en: "A", ko: "가" } }
                  - { id: b, text: { en: "B", ko: "나" } }
                answer: b
                explanation: { en: "Because B.", ko: "나이기 때문입니다." }
          - id: target-group
            kind: action
            title: { en: "Target group", ko: "대상 그룹" }
            instructions: target-group.md
            action: CreateTargetGroupWithTargets
            parameters:
              - name: targetGroupName
                label: { en: "Name", ko: "이름" }
                type: name
                default: web-tg
            checks: [TargetsHealthy]
            cli: |
              aws elbv2 create-target-group --name {targetGroupName} --vpc-id {outputs.vpcId}
        """;

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Valid_lab_loads_with_its_instructions_in_both_languages()
    {
        WriteLab("sample-lab", ValidLab);

        var catalog = LabCatalog.Load(_root.Path);

        var lab = Assert.Single(catalog.Labs);
        Assert.Equal("sample-lab", lab.Id);
        Assert.Equal(StepKind.Action, lab.Step("target-group")!.Kind);
        Assert.Equal(ParameterType.Name, lab.Step("target-group")!.Parameters[0].Type);
        Assert.Equal("# ko target-group", lab.Instructions[("target-group", "ko")]);
        Assert.Same(lab, catalog.Find("sample-lab"));
        Assert.Null(catalog.Find("nope"));
    }

    [Fact]
    public void Labs_are_ordered_by_their_order_field()
    {
        WriteLab("sample-lab", ValidLab);
        WriteLab("first-lab", ValidLab.Replace("id: sample-lab", "id: first-lab", StringComparison.Ordinal).Replace("order: 2", "order: 1", StringComparison.Ordinal));

        Assert.Equal(["first-lab", "sample-lab"], LabCatalog.Load(_root.Path).Labs.Select(l => l.Id));
    }

    [Theory]
    [InlineData("answer: b", "answer: z", "the answer 'z' is not one of the choices")]
    [InlineData("default: web-tg", "default: web_tg", "the default 'web_tg' breaks its own rule")]
    [InlineData("ko: \"예제\" }", "ko: \"\" }", "title needs both en and ko text")]
    [InlineData("id: concepts", "id: target-group", "step ids must be unique")]
    [InlineData("action: CreateTargetGroupWithTargets", "action: \"\"", "an action step must name its action")]
    [InlineData("--vpc-id {outputs.vpcId}", "--vpc-id {vpcId}", "the cli uses {vpcId}")]
    [InlineData("kind: quiz", "kind: quizz", "sample-lab")]
    public void Broken_lab_is_refused_with_a_precise_problem(string from, string to, string expected)
    {
        WriteLab("sample-lab", ValidLab.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<LabDefinitionException>(() => LabCatalog.Load(_root.Path));
        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_translation_file_is_a_problem()
    {
        WriteLab("sample-lab", ValidLab);
        File.Delete(Path.Combine(_root.Path, "sample-lab", "ko", "concepts.md"));

        var error = Assert.Throws<LabDefinitionException>(() => LabCatalog.Load(_root.Path));
        Assert.Contains("sample-lab/concepts: ko/concepts.md is missing.", error.Problems);
    }

    [Fact]
    public void Folder_name_must_match_the_id()
    {
        WriteLab("other-name", ValidLab);

        var error = Assert.Throws<LabDefinitionException>(() => LabCatalog.Load(_root.Path));
        Assert.Contains(error.Problems, p => p.Contains("must equal the folder name", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_fills_placeholders_and_never_renders_raw_html()
    {
        var html = LabMarkdown.ToHtml("Name: **{groupName}** in `{outputs.vpcId}`; {unknown}", new Dictionary<string, string>
        {
            ["groupName"] = "<script>alert(1)</script>",
            ["outputs.vpcId"] = "vpc-123",
        });

        Assert.Contains("<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code>vpc-123</code>", html, StringComparison.Ordinal);
        Assert.Contains("{unknown}", html, StringComparison.Ordinal);
    }

    private void WriteLab(string folder, string yaml)
    {
        var dir = Path.Combine(_root.Path, folder);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "lab.yaml"), yaml);
        foreach (var language in LabCatalog.Languages)
        {
            Directory.CreateDirectory(Path.Combine(dir, language));
            foreach (var step in new[] { "concepts", "target-group" })
            {
                File.WriteAllText(Path.Combine(dir, language, step + ".md"), $"# {language} {step}");
            }
        }
    }
}
