using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Support;

/// <summary>
/// The whole portal in the test process, on its own temp data folder (database, job store, keys).
/// Two factories given the same folder behave like a restart.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string InstructorUserName = "teacher";
    public const string InstructorPassword = "teacher-password-1";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <summary>
    /// Settings for a portal on its embedded sandbox with the shipped labs: free ports, and a time scale
    /// high enough that instances boot and health checks pass in a test's time. <paramref name="extra"/>
    /// adds to or overrides them.
    /// </summary>
    public static Dictionary<string, string?> OnSandbox(IDictionary<string, string?>? extra = null, int timeScale = 200)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Labs:Directory"] = E2E.Lab1Flow.ShippedLabs,
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:ApiPort"] = "0",
            ["Sandbox:DataPlanePort"] = "0",
            ["Sandbox:TimeScale"] = timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <param name="dataDirectory">The portal's data folder (database, job store, keys).</param>
    /// <param name="settings">Configuration over the test defaults.</param>
    /// <param name="configureServices">Registrations applied after the portal's own (e.g. a sandbox hosted outside the portal).</param>
    /// <param name="database">
    /// The portal's database: by default the one this data folder already went with, else the run's
    /// (<see cref="TestDatabase"/>: <c>LABPORTAL_TEST_DATABASE</c>). A <c>ConnectionStrings:Portal</c> in
    /// <paramref name="settings"/> wins over both.
    /// </param>
    public PortalFactory(string dataDirectory, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, TestDatabaseProvider? database = null)
    {
        DataDirectory = dataDirectory;
        _configureServices = configureServices;
        _settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = dataDirectory,
            ["Portal:JsonLogs"] = "false",
            ["Accounts:InitialInstructorUserName"] = InstructorUserName,
            ["Accounts:InitialInstructorPassword"] = InstructorPassword,
            ["Sandbox:Enabled"] = "false",
            ["Labs:Directory"] = FixtureLabs,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        Database = database ?? TestDatabase.ProviderOf(dataDirectory);
        if (!_settings.ContainsKey("ConnectionStrings:Portal") && TestDatabase.PortalConnectionString(dataDirectory, Database) is { } connectionString)
        {
            _settings["ConnectionStrings:Portal"] = connectionString;
        }
    }

    /// <summary>The database the fixture chose for the portal (unless the settings named one).</summary>
    public TestDatabaseProvider Database { get; }

    public string DataDirectory { get; }

    /// <summary>The host environment; the browser tests use Development, as <c>dotnet run</c> starts the portal.</summary>
    public string Environment { get; init; } = "Testing";

    /// <summary>The test lab folder (<c>Fixtures/Labs</c>), copied beside the test assembly.</summary>
    public static string FixtureLabs => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Labs");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }

    /// <summary>
    /// On PostgreSQL, also closes the idle connections the portal's pool keeps to its database (EF's and the job
    /// storage's share it): the shared cluster would otherwise fill up with the pools of stopped portals.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_settings.TryGetValue("ConnectionStrings:Portal", out var connectionString) && LabPortal.Infrastructure.Data.DatabaseProviders.IsPostgreSql(connectionString))
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests assert them).</summary>
    public PortalClient CreatePortalClient(string? acceptLanguage = "en") =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), acceptLanguage, Services);
}
