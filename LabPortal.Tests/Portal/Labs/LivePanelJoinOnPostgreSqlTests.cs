using LabPortal.Tests.Support;

namespace LabPortal.Tests.Portal.Labs;

/// <summary>
/// <see cref="LivePanelJoinTests"/> on PostgreSQL, always: there the run's poller polls only once this node holds the
/// run's advisory lock, which it takes just after the poller's first round; the first snapshot must still come at once.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class LivePanelJoinOnPostgreSqlTests() : LivePanelJoinTests(TestDatabaseProvider.PostgreSql);
