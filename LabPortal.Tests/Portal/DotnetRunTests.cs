using System.Diagnostics;
using System.Net;
using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal;

/// <summary>The README's first command, exactly: <c>dotnet run --project LabPortal</c> serves the sign-in page on port 5000.</summary>
[Collection(FixedPorts.Name)]
public sealed class DotnetRunTests
{
    [Fact]
    public async Task Dotnet_run_serves_the_login_page_on_localhost_5000_with_no_other_setup()
    {
        using var data = new TempDirectory("labportal-run");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Artifacts.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "run", "--project", "LabPortal", "--no-build" })
        {
            start.ArgumentList.Add(argument);
        }

        // Only the data folder moves, so the test leaves nothing in the working tree.
        start.Environment["Portal__DataDirectory"] = data.Path;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            HttpResponseMessage? response = null;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (response is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    response = await http.GetAsync("http://localhost:5000/account/login");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(response is not null, "Nothing answered on http://localhost:5000:\n" + output);
            Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
            Assert.Matches("<h1[^>]*>Sign in</h1>", await response.Content.ReadAsStringAsync());
            Assert.True(File.Exists(Path.Combine(data.Path, "initial-instructor-password.txt")), "The first start should write the one-time instructor password.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
