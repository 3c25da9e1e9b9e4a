using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Accounts;

/// <summary>The portal's admin surface over sandbox accounts (one per learner).</summary>
public interface ISandboxAccounts
{
    /// <summary>Creates an account with a fresh id (12 digits), access key (<c>AKIA</c> + 16) and secret (40 chars).</summary>
    Task<SandboxAccount> CreateAccountAsync(string label, CancellationToken cancellationToken = default);

    /// <summary>Drops every resource of the account (its machines are shut down) and the account itself. False when unknown.</summary>
    Task<bool> DeleteAccountAsync(string accountId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(CancellationToken cancellationToken = default);

    Task<SandboxAccount?> FindAccountAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>What the account still owns in every region (learner-created, live resources only).</summary>
    Task<IReadOnlyList<SandboxResource>> ListResourcesAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the account's quotas (the portal's class guardrails, enforced with AWS's error codes however the
    /// account is called), or clears them with null. False when the account is unknown.
    /// </summary>
    Task<bool> SetQuotasAsync(string accountId, SandboxAccountQuotas? quotas, CancellationToken cancellationToken = default);

    /// <summary>The account's quotas, or null when it has none (or the account is unknown).</summary>
    Task<SandboxAccountQuotas?> FindQuotasAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>The number of resources <see cref="ListResourcesAsync"/> lists.</summary>
    Task<int> CountResourcesAsync(string accountId, CancellationToken cancellationToken = default);
}
