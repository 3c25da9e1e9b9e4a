using LabPortal.Features.Labs.Definitions;
using LabPortal.Tests.E2E;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// Every "same with the AWS CLI" block of the shipped labs, filled the way the step page fills it
/// (the learner's values, here the defaults, and the run's outputs), pastes into bash as shown: no
/// placeholder left and no syntax error (<c>bash -n</c>). A value spilled into a comment line (a page's
/// HTML, say) makes the lines after it shell syntax and fails here.
/// </summary>
public sealed class CliBlocksTests
{
    [Theory]
    [InlineData("alb-two-web-servers")]
    [InlineData("asg-behind-alb")]
    public async Task Every_CLI_block_of_the_lab_is_filled_completely_and_parses_in_bash(string labId)
    {
        var lab = LabCatalog.Load(Lab1Flow.ShippedLabs).Find(labId)!;
        var values = lab.Steps.SelectMany(s => s.Parameters).Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default!);
        foreach (var step in lab.Steps)
        {
            foreach (var placeholder in LabCatalog.PlaceholderRegex().Matches(step.Cli ?? "").Select(m => m.Groups["name"].Value).Where(n => n.StartsWith("outputs.", StringComparison.Ordinal)))
            {
                values[placeholder] = "lp-" + placeholder["outputs.".Length..].ToLowerInvariant();
            }

            // A choice read from the cloud at run time (the drill's instance) has no default: the form fills it.
            foreach (var parameter in step.Parameters.Where(p => p.ChoicesFrom is not null))
            {
                values[parameter.Name] = "i-0123456789abcdef0";
            }
        }

        var checkedBlocks = 0;
        foreach (var step in lab.Steps.Where(s => !string.IsNullOrWhiteSpace(s.Cli)))
        {
            var text = "export AWS_ENDPOINT_URL=http://127.0.0.1:45661\nexport AWS_DEFAULT_REGION=" + lab.Region + "\n" + LabMarkdown.Fill(step.Cli!, values);
            Assert.Empty(LabCatalog.PlaceholderRegex().Matches(text));
            var file = Path.Combine(Path.GetTempPath(), $"labportal-cli-{labId}-{step.Id}-{Guid.NewGuid():N}.sh");
            await File.WriteAllTextAsync(file, text);
            try
            {
                var (exit, output) = await Cli.RunAsync(new Dictionary<string, string>(), "bash", "-n", file);
                Assert.True(exit == 0, $"{labId}/{step.Id}: {output}\n{text}");
            }
            finally
            {
                File.Delete(file);
            }

            checkedBlocks++;
        }

        Assert.True(checkedBlocks >= 5, $"{labId} has only {checkedBlocks} CLI blocks.");
    }
}
