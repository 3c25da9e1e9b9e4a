using Bunit;
using LabPortal.Features.LabRuns;
using LabPortal.Tests.E2E;

namespace LabPortal.Tests.Components;

public sealed class QuizViewTests : ComponentTestContext
{
    private static readonly StepState Concepts = new(Lab1Flow.Lab.Step("concepts")!, 1, null, Unlocked: true, Done: false);

    [Fact]
    public void QuizView_asks_for_unanswered_questions_without_a_verdict_or_the_explanation()
    {
        var questions = Concepts.Definition.Quiz;
        var outcome = new QuizOutcome(new Dictionary<string, bool>(), [.. questions.Select(q => q.Id)]);

        var quiz = Context.Render<QuizView>(p => p.Add(q => q.Step, Concepts).Add(q => q.Outcome, outcome));

        Assert.Equal(questions.Count, quiz.FindAll("[data-feedback=unanswered]").Count);
        Assert.Empty(quiz.FindAll("[data-feedback=wrong]"));
        Assert.All(questions, q => Assert.DoesNotContain(q.Explanation.En, quiz.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void QuizView_shows_the_explanation_only_for_an_answered_wrong_question()
    {
        var questions = Concepts.Definition.Quiz;
        var wrong = questions[0];
        var outcome = new QuizOutcome(questions.ToDictionary(q => q.Id, q => q.Id != wrong.Id), []);

        var quiz = Context.Render<QuizView>(p => p.Add(q => q.Step, Concepts).Add(q => q.Outcome, outcome));

        var feedback = quiz.Find($"#feedback-{wrong.Id}");
        Assert.Equal("wrong", feedback.GetAttribute("data-feedback"));
        Assert.Contains(wrong.Explanation.En, feedback.TextContent, StringComparison.Ordinal);
        foreach (var right in questions.Skip(1))
        {
            Assert.Equal("right", quiz.Find($"#feedback-{right.Id}").GetAttribute("data-feedback"));
            Assert.DoesNotContain(right.Explanation.En, quiz.Find($"#feedback-{right.Id}").TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void QuizView_sends_only_the_chosen_answers()
    {
        IReadOnlyDictionary<string, string>? sent = null;
        var question = Concepts.Definition.Quiz[0];
        var quiz = Context.Render<QuizView>(p => p.Add(q => q.Step, Concepts).Add(q => q.OnSubmit, answers => sent = answers));

        quiz.FindAll($"#question-{question.Id} input[type=radio]")[0].Click();
        quiz.Find("#quiz-form").Submit();

        Assert.NotNull(sent);
        Assert.Equal(new Dictionary<string, string> { [question.Id] = question.Choices[0].Id }, sent);
    }
}
