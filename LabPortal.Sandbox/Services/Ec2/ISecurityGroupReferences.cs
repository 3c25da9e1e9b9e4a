using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>
/// Lets another service declare that it uses a security group, so DeleteSecurityGroup answers
/// <c>DependencyViolation</c> while it does (aws-behaviour.md 2.4: "resource sg-... has a dependent
/// object"). ELBv2 implements it for load balancers. It is called with the account's scope already
/// held (read your own state from it; never enter the account again).
/// Register with <c>services.AddSingleton&lt;ISecurityGroupReferences, X&gt;()</c>.
/// </summary>
public interface ISecurityGroupReferences
{
    /// <summary>True when a resource of this service in <paramref name="region"/> uses <paramref name="groupId"/>.</summary>
    bool IsInUse(AccountScope scope, string region, string groupId);
}
