using Amazon.EC2.Model;
using LabPortal.Features.Classes;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;
using LabPortal.Sandbox;
using LabPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E;

/// <summary>
/// Issue 17, "guardrails for money": a class's limits refuse a step before it makes any call (nothing in the
/// cloud, nothing in the ledger, no AWS request id on the step), and the learner's sandbox account enforces
/// the same limits with AWS's error codes when the portal is bypassed with the AWS CLI.
/// </summary>
[Trait("Category", "E2E")]
public sealed class GuardrailTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _home = new("labportal-guardrails-home");

    public void Dispose()
    {
        _home.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_disallowed_instance_type_is_the_form_fields_error_in_both_languages_and_nothing_is_submitted()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var flow = await StartLab1Async(factory, "GRTYPE", Guardrails("t3.micro", instances: 6, loadBalancers: 2));
        var overrides = new Dictionary<string, string> { ["instanceType"] = "t2.micro" };

        var english = await SubmitInAsync("en", () => flow.Wizard.SubmitAsShownAsync(flow.RunId, "instances", overrides));
        var korean = await SubmitInAsync("ko", () => flow.Wizard.SubmitAsShownAsync(flow.RunId, "instances", overrides));
        var steps = await ReadAsync(factory, db => db.StepRuns.Where(s => s.LabRunId == flow.RunId && s.StepId == "instances").CountAsync());
        var saved = await ReadAsync(factory, db => db.LabRuns.Where(r => r.Id == flow.RunId).Select(r => r.ValuesJson).SingleAsync());
        var allowed = await flow.RunActionAsync("instances", new Dictionary<string, string> { ["instanceType"] = "t3.micro" });

        Assert.False(english!.Succeeded);
        Assert.Equal(["instanceType"], english.Errors.Keys);
        Assert.Contains("allows only these instance types: t3.micro", english.Errors["instanceType"], StringComparison.Ordinal);
        Assert.Equal(["instanceType"], korean!.Errors.Keys);
        Assert.Contains("t3.micro뿐입니다", korean.Errors["instanceType"], StringComparison.Ordinal);
        Assert.Equal(0, steps);
        Assert.DoesNotContain("t2.micro", Features.LabRuns.RunView.ReadJson(saved).Values);
        Lab1Flow.AssertSucceeded(allowed);
    }

    [Fact]
    public async Task The_steps_own_check_refuses_a_disallowed_instance_type_before_any_call_when_the_class_changed_after_the_form()
    {
        // The form accepted the type; the instructor narrowed the class before the job ran: the step's check
        // before any call is the last line, and nothing is created.
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var flow = await StartLab1Async(factory, "GRLATE", Guardrails("t2.micro, t3.micro", instances: 6, loadBalancers: 2));
        using (var scope = factory.Services.CreateScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().LabRuns.SingleAsync(r => r.Id == flow.RunId);
            var check = scope.ServiceProvider.GetRequiredService<Features.LabRuns.Engine.GuardrailCheck>();
            await SaveGuardrailsAsync(factory, await ClassIdAsync(factory, "GRLATE"), Guardrails("t3.micro", instances: 6, loadBalancers: 2));
            run.ValuesJson = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["instanceType"] = "t2.micro" });
            var refused = await Assert.ThrowsAsync<Features.LabRuns.Engine.LabStepException>(() => check.CheckAsync(run, Lab1Flow.Lab, Lab1Flow.Lab.Step("instances")!));

            Assert.Equal("GuardrailInstanceType", refused.Code);
            Assert.Contains("t3.micro", refused.English, StringComparison.Ordinal);
            Assert.Contains("허용되지 않아", refused.Korean, StringComparison.Ordinal);
        }

        await AssertNothingCreatedAsync(factory, flow, null);
    }

    [Fact]
    public async Task An_Auto_Scaling_group_counts_at_its_maximum_size_and_is_refused_before_any_call_when_that_exceeds_the_quota()
    {
        // Lab 2's group starts with 2 instances but may grow to its maximum of 4: with room for 3 it is refused.
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "GRASG");
        Assert.True((await SaveGuardrailsAsync(factory, await ClassIdAsync(factory, code), Guardrails("t2.micro, t3.micro", instances: 3, loadBalancers: 2))).Succeeded);
        var student = await Students.JoinAsync(factory, code, "Guarded ASG");
        var driver = await Cleanup.LabDriver.StartAsync(factory, student, Lab1Flow.ShippedLabs, "asg-behind-alb");
        await driver.FinishAllButTeardownAsync(stopBefore: "auto-scaling-group");

        var submitted = await driver.Wizard.SubmitAsShownAsync(driver.RunId, "auto-scaling-group");
        var refused = await driver.WaitForStepAsync("auto-scaling-group");
        var learner = await driver.Wizard.UserIdAsync();
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var clients = cloud.SandboxClients(await cloud.SandboxAccountForUserAsync(learner), "ap-northeast-2");
        var groups = await clients.AutoScaling.DescribeAutoScalingGroupsAsync(new LabPortal.Aws.AutoScaling.DescribeAutoScalingGroupsRequest());
        var instances = await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        var ledger = await ReadAsync(factory, db => db.Ledger.Where(e => e.LabRunId == driver.RunId).Select(e => e.Kind).ToListAsync());

        Assert.True(submitted is { Succeeded: true });
        Assert.Equal(StepRunStatus.Failed, refused.Status);
        Assert.Equal("GuardrailInstances", refused.ErrorCode);
        Assert.Contains($"bring you to {Features.LabRuns.Actions.CreateAutoScalingGroup.MaxSize} instances (an Auto Scaling group counts as its maximum size)", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("최대 크기로 셉니다", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(refused.RequestIds), $"The refused step called AWS: {refused.RequestIds}");
        Assert.Empty(groups.AutoScalingGroups!);
        Assert.Empty(instances.Reservations!.SelectMany(r => r.Instances!));
        Assert.DoesNotContain(ResourceKind.AutoScalingGroup, ledger);
    }

    /// <summary>Runs <paramref name="submit"/> as a request in <paramref name="language"/> would (the texts follow the UI culture).</summary>
    private static async Task<T> SubmitInAsync<T>(string language, Func<Task<T>> submit)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(language);
        try
        {
            return await submit();
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task An_over_quota_step_is_refused_before_any_call_and_runs_once_the_instructor_raises_the_limit()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var flow = await StartLab1Async(factory, "GRCOUNT", Guardrails("t2.micro, t3.micro", instances: 1, loadBalancers: 2));

        var refused = await flow.RunActionAsync("instances");

        Assert.Equal(StepRunStatus.Failed, refused.Status);
        Assert.Equal("GuardrailInstances", refused.ErrorCode);
        Assert.Contains("bring you to 2 instances", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("1개까지", refused.ErrorMessage, StringComparison.Ordinal);
        await AssertNothingCreatedAsync(factory, flow, refused);

        var classId = await ClassIdAsync(factory, "GRCOUNT");
        await SaveGuardrailsAsync(factory, classId, Guardrails("t2.micro, t3.micro", instances: 2, loadBalancers: 2));
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("instances"));

        // The budget warning is data for the dashboard: within 12.50 USD nobody is over; below the estimate the student is.
        var within = await BudgetAsync(factory, classId);
        var tight = Guardrails("t2.micro, t3.micro", instances: 2, loadBalancers: 2);
        tight.BudgetUsd = 0.0001m;
        await SaveGuardrailsAsync(factory, classId, tight);
        var over = await BudgetAsync(factory, classId);

        var student = Assert.Single(within);
        Assert.True(student.EstimatedUsd > 0m, "Two running instances cost something.");
        Assert.False(student.OverBudget);
        Assert.True(Assert.Single(over).OverBudget);

        // The dashboard warns the instructor by name, with the estimate against the budget and the way to act.
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (_, dashboard) = await instructor.GetAsync($"/classes/{classId}/dashboard");
        var warning = dashboard.QuerySelector("#budget-warning") ?? throw new Xunit.Sdk.XunitException("The dashboard shows no budget warning.");
        Assert.Contains(student.DisplayName, warning.TextContent, StringComparison.Ordinal);
        Assert.Contains(Features.Instructors.DashboardText.Usd(student.EstimatedUsd), warning.TextContent, StringComparison.Ordinal);
        Assert.NotNull(warning.QuerySelector($"a[href='classes/{classId}/guardrails']"));
        await SaveGuardrailsAsync(factory, classId, Guardrails("t2.micro, t3.micro", instances: 2, loadBalancers: 2));
        var (_, calm) = await instructor.GetAsync($"/classes/{classId}/dashboard");
        Assert.Null(calm.QuerySelector("#budget-warning"));
    }

    private static async Task<IReadOnlyList<Features.Instructors.LearnerBudget>> BudgetAsync(PortalFactory factory, int classId)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Features.Instructors.ClassBudget>().ForClassAsync(classId);
    }

    [Fact]
    public async Task The_sandbox_account_enforces_the_guardrails_with_AWS_codes_when_the_AWS_CLI_bypasses_the_portal()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var flow = await StartLab1Async(factory, "GRCLI", Guardrails("t3.micro", instances: 1, loadBalancers: 0));
        var userId = await flow.Wizard.UserIdAsync();
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var account = await cloud.SandboxAccountForUserAsync(userId);
        var (key, secret) = cloud.RevealKeys(account);
        var endpoint = factory.Services.GetRequiredService<SandboxEndpoints>().Api.ToString().TrimEnd('/');
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _home.Path,
            ["AWS_CONFIG_FILE"] = "/nonexistent",
            ["AWS_ACCESS_KEY_ID"] = key,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_DEFAULT_REGION"] = "ap-northeast-2",
            ["AWS_ENDPOINT_URL"] = endpoint,
            ["AWS_PAGER"] = "",
        };
        Task<(int ExitCode, string Output)> Aws(params string[] arguments) => Cli.RunAsync(environment, "aws", arguments);
        var ami = (await Aws("ssm", "get-parameter", "--name", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "--query", "Parameter.Value", "--output", "text")).Output.Trim();
        var subnets = (await Aws("ec2", "describe-subnets", "--query", "Subnets[].SubnetId", "--output", "text")).Output.Split((char[])['\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

        var wrongType = await Aws("ec2", "run-instances", "--image-id", ami, "--instance-type", "t2.micro", "--count", "1");
        var tooMany = await Aws("ec2", "run-instances", "--image-id", ami, "--instance-type", "t3.micro", "--count", "2");
        var allowed = await Aws("ec2", "run-instances", "--image-id", ami, "--instance-type", "t3.micro", "--count", "1");
        var oneMore = await Aws("ec2", "run-instances", "--image-id", ami, "--instance-type", "t3.micro", "--count", "1");
        var loadBalancer = await Aws("elbv2", "create-load-balancer", "--name", "bypass-alb", "--subnets", subnets[0], subnets[1]);
        var elsewhere = await Aws("ec2", "describe-vpcs", "--region", "us-east-1");

        Assert.NotEqual(0, wrongType.ExitCode);
        Assert.Contains("(UnauthorizedOperation)", wrongType.Output, StringComparison.Ordinal);
        Assert.Contains("(InstanceLimitExceeded)", tooMany.Output, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Output);
        Assert.Contains("(InstanceLimitExceeded)", oneMore.Output, StringComparison.Ordinal);
        Assert.Contains("(TooManyLoadBalancers)", loadBalancer.Output, StringComparison.Ordinal);
        Assert.Contains("(UnauthorizedOperation)", elsewhere.Output, StringComparison.Ordinal);
        var clients = cloud.SandboxClients(account, "ap-northeast-2");
        var instances = (await clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations!.SelectMany(r => r.Instances!).ToList();
        Assert.Equal(["t3.micro"], instances.Select(i => i.InstanceType!.Value));
    }

    [Fact]
    public async Task The_guardrails_form_refuses_bad_values_field_by_field_and_keeps_the_saved_ones()
    {
        await using var factory = new PortalFactory(_data.Path, PortalFactory.OnSandbox());
        var code = await Students.CreateClassAsync(factory, "GRFORM");
        var classId = await ClassIdAsync(factory, code);

        var bad = await SaveGuardrailsAsync(factory, classId, new ClassGuardrailsInput
        {
            AllowedInstanceTypes = "t2.micro, not a type",
            MaxInstancesPerLearner = 0,
            MaxLoadBalancersPerLearner = 21,
            LabRegions = "seoul",
            BudgetUsd = -1,
        });
        var good = await SaveGuardrailsAsync(factory, classId, Guardrails("t3.micro", instances: 3, loadBalancers: 1));

        Assert.Equal(
            [nameof(ClassGuardrailsInput.AllowedInstanceTypes), nameof(ClassGuardrailsInput.BudgetUsd), nameof(ClassGuardrailsInput.LabRegions), nameof(ClassGuardrailsInput.MaxInstancesPerLearner), nameof(ClassGuardrailsInput.MaxLoadBalancersPerLearner)],
            bad.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.True(good.Succeeded);
        var saved = await ReadAsync(factory, db => db.ClassGuardrails.SingleAsync(g => g.ClassroomId == classId));
        using var instructor = factory.CreatePortalClient();
        await instructor.SignInAsInstructorAsync();
        var (page, document) = await instructor.GetAsync($"/classes/{classId}/guardrails");
        using var student = await Students.JoinAsync(factory, code, "Not An Instructor");
        var (refused, _) = await student.GetAsync($"/classes/{classId}/guardrails");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("t3.micro", document.QuerySelector("#guardrails-types")?.GetAttribute("value"));
        Assert.NotEqual(System.Net.HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(("t3.micro", 3, 1, "ap-northeast-2", 12.5m), (saved.AllowedInstanceTypes, saved.MaxInstancesPerLearner, saved.MaxLoadBalancersPerLearner, saved.LabRegions, saved.BudgetUsd));
    }

    private static ClassGuardrailsInput Guardrails(string types, int instances, int loadBalancers) => new()
    {
        AllowedInstanceTypes = types,
        MaxInstancesPerLearner = instances,
        MaxLoadBalancersPerLearner = loadBalancers,
        LabRegions = "ap-northeast-2",
        BudgetUsd = 12.5m,
    };

    private static async Task<Lab1Flow> StartLab1Async(PortalFactory factory, string code, ClassGuardrailsInput guardrails)
    {
        await Students.CreateClassAsync(factory, code);
        Assert.True((await SaveGuardrailsAsync(factory, await ClassIdAsync(factory, code), guardrails)).Succeeded);
        var flow = await Lab1Flow.StartAsync(factory.DataDirectory, await Students.JoinAsync(factory, code, "Guarded " + code));
        await flow.PassQuizAsync("concepts");
        Lab1Flow.AssertSucceeded(await flow.RunActionAsync("security-group"));
        return flow;
    }

    private static async Task<Infrastructure.Forms.FormResult<bool>> SaveGuardrailsAsync(PortalFactory factory, int classId, ClassGuardrailsInput input)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var instructorId = await db.Users.Where(u => u.UserName == PortalFactory.InstructorUserName).Select(u => u.Id).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<ClassGuardrailsService>().SaveAsync(classId, instructorId, input);
    }

    private static Task<int> ClassIdAsync(PortalFactory factory, string code) =>
        ReadAsync(factory, db => db.Classrooms.Where(c => c.JoinCode == code).Select(c => c.Id).SingleAsync());

    private static async Task<T> ReadAsync<T>(PortalFactory factory, Func<PortalDbContext, Task<T>> read)
    {
        using var scope = factory.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    private static async Task AssertNothingCreatedAsync(PortalFactory factory, Lab1Flow flow, StepRun? step)
    {
        Assert.True(string.IsNullOrEmpty(step?.RequestIds), $"The refused step called AWS: {step?.RequestIds}");
        Assert.DoesNotContain(await flow.LedgerAsync(), e => e.Kind == ResourceKind.Instance);
        var userId = await flow.Wizard.UserIdAsync();
        using var scope = factory.Services.CreateScope();
        var cloud = scope.ServiceProvider.GetRequiredService<LearnerCloud>();
        var account = await cloud.SandboxAccountForUserAsync(userId);
        var instances = await cloud.SandboxClients(account, "ap-northeast-2").Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        Assert.Empty(instances.Reservations!.SelectMany(r => r.Instances!));
    }
}
