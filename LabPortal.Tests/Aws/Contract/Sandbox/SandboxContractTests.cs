namespace LabPortal.Tests.Aws.Contract.Sandbox;

// The sandbox lane of the contract suite: the same tests as the moto lane, plus the newer actions
// moto lacks. Each suite gets its own sandbox (class fixture), so suites run in parallel.
public sealed class SandboxLab1ContractTests(SandboxServerFixture sandbox) : Lab1ContractTests(sandbox), IClassFixture<SandboxServerFixture>;

public sealed class SandboxLab2ContractTests(SandboxServerFixture sandbox) : Lab2ContractTests(sandbox), IClassFixture<SandboxServerFixture>;

public sealed class SandboxErrorContractTests(SandboxServerFixture sandbox) : ErrorContractTests(sandbox), IClassFixture<SandboxServerFixture>;

public sealed class SandboxNewerActionsContractTests(SandboxServerFixture sandbox) : NewerActionsContractTests(sandbox), IClassFixture<SandboxServerFixture>;
