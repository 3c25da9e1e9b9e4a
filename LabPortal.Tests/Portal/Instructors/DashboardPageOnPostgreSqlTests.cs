using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Instructors;

/// <summary><see cref="DashboardPageTests"/> on PostgreSQL, always: the class dashboard's queries on PostgreSQL: class membership, each learner's latest run and step states, live resources from the ledger.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class DashboardPageOnPostgreSqlTests() : DashboardPageTests(TestDatabaseProvider.PostgreSql);
