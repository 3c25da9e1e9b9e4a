using LabPortal.Tests.Support;

namespace LabPortal.Tests.E2E.Cleanup;

/// <summary><see cref="SweeperAndAuthorizationTests"/> on PostgreSQL, always: the sweeper's and the class reset's queries on PostgreSQL: ledger against cloud, run ownership, teardown.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class SweeperAndAuthorizationOnPostgreSqlTests() : SweeperAndAuthorizationTests(TestDatabaseProvider.PostgreSql);
