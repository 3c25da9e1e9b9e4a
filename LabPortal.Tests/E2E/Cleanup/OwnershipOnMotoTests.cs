using System.Globalization;
using Amazon.EC2.Model;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary>
/// Issue 13's adoption and sweeper cases with <c>Cloud:Mode=Aws</c> against moto (one shared account):
/// the same code paths as on AWS, a second implementation of the APIs.
/// </summary>
[Trait("Category", "Moto")]
public sealed class OwnershipOnMotoTests
{
    [Fact]
    public async Task RunOwnership_target_group_and_load_balancer_found_by_name_without_the_run_tag_fail_their_steps_on_moto()
    {
        await using var portal = await MotoPortal.StartAsync();
        var factory = portal.Factory;
        var code = await Students.CreateClassAsync(factory, "MOWN01");
        using var student = await Students.JoinAsync(factory, code, "Moto Names Learner");
        await RunOwnershipTests.ForeignNamesAsync(factory, student, "Moto Names Learner", _ => Task.FromResult(SharedClients(factory)));
    }

    [Fact]
    public async Task RunOwnership_security_group_step_refuses_an_untagged_group_of_the_same_name_on_moto()
    {
        await using var portal = await MotoPortal.StartAsync();
        var factory = portal.Factory;
        var code = await Students.CreateClassAsync(factory, "MOWN03");
        using var student = await Students.JoinAsync(factory, code, "Moto Group Learner");
        await RunOwnershipTests.ForeignSecurityGroupAsync(factory, student, "Moto Group Learner", _ => Task.FromResult(SharedClients(factory)));
    }

    [Fact]
    public async Task RunOwnership_security_group_of_the_run_made_before_a_crash_is_adopted_exactly_once_on_moto()
    {
        await using var portal = await MotoPortal.StartAsync();
        var factory = portal.Factory;
        var code = await Students.CreateClassAsync(factory, "MOWN04");
        using var student = await Students.JoinAsync(factory, code, "Moto Crash Learner");
        await RunOwnershipTests.CrashAdoptionAsync(factory, student, "Moto Crash Learner", _ => Task.FromResult(SharedClients(factory)));
    }

    [Fact]
    public async Task SweeperOwnership_offers_only_the_stray_instance_beside_a_live_Lab_2_group_of_three_on_moto()
    {
        await using var portal = await MotoPortal.StartAsync();
        var factory = portal.Factory;
        // One shared account: a stray is the learner's to sweep when it carries their learner tag (and no run's).
        await SweeperOwnershipTests.OffersOnlyTheStrayAsync(factory, "MOWN02", _ => Task.FromResult(SharedClients(factory)),
            strayTags: learnerId => [new Tag("lab-portal:learner", learnerId.ToString(CultureInfo.InvariantCulture))]);
    }

    private static AwsClients SharedClients(PortalFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<LearnerCloud>().SharedAccountClients("ap-northeast-2");
    }
}
