using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Labs;

/// <summary><see cref="StepRetryTests"/> on PostgreSQL, always: a lab run's step records on PostgreSQL: attempts, failures and the retried success, written by jobs on PostgreSQL storage.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class StepRetryOnPostgreSqlTests() : StepRetryTests(TestDatabaseProvider.PostgreSql);
