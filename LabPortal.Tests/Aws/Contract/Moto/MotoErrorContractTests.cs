namespace LabPortal.Tests.Aws.Contract.Moto;

// The moto lane; each suite gets its own moto server (class fixture), so suites run in parallel.
[Trait("Category", "Moto")]
public sealed class MotoErrorContractTests(MotoServerFixture moto) : ErrorContractTests(moto), IClassFixture<MotoServerFixture>;
