using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Actions;

/// <summary>Lab 1, step "security-group": SSH and HTTP in, as in the blog post (seed 000).</summary>
public sealed class CreateWebSecurityGroup : ILabAction
{
    public string Name => nameof(CreateWebSecurityGroup);

    public async Task RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        var vpcId = await CloudSteps.DefaultVpcAsync(context, cancellationToken);
        var groupId = await CloudSteps.EnsureSecurityGroupAsync(context, context.Value("groupName"), "Web servers: SSH and HTTP (LabPortal)", vpcId, cancellationToken);
        await CloudSteps.AllowIngressAsync(context, groupId, 22, context.Value("sshSource"), cancellationToken);
        await CloudSteps.AllowIngressAsync(context, groupId, 80, context.Value("httpSource"), cancellationToken);
        await context.SetOutputsAsync(o => o.SecurityGroupId = groupId, cancellationToken);
    }
}
