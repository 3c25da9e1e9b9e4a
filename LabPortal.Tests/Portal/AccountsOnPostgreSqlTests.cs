using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal;

/// <summary><see cref="AccountsTests"/> on PostgreSQL, always: Identity on PostgreSQL: sign-up, sign-in, lockout, password changes and the Data Protection key ring in the database across a restart.</summary>
[Trait("Category", "PostgreSQL")]
public sealed class AccountsOnPostgreSqlTests() : AccountsTests(TestDatabaseProvider.PostgreSql);
