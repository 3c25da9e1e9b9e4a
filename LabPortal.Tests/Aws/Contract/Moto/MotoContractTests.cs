namespace LabPortal.Tests.Aws.Contract.Moto;

// The moto lane: each suite gets its own moto server (class fixture), so the suites run in parallel.

[Trait("Category", "Moto")]
public sealed class MotoLab1ContractTests(MotoServerFixture moto) : Lab1ContractTests(moto), IClassFixture<MotoServerFixture>;

[Trait("Category", "Moto")]
public sealed class MotoLab2ContractTests(MotoServerFixture moto) : Lab2ContractTests(moto), IClassFixture<MotoServerFixture>;

[Trait("Category", "Moto")]
public sealed class MotoErrorContractTests(MotoServerFixture moto) : ErrorContractTests(moto), IClassFixture<MotoServerFixture>;
