using LabPortal.Infrastructure;
using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

/// <summary>
/// Makes sure the portal has an instructor. Without a configured password it generates a
/// one-time one, logs it once and writes it to the data folder; the first sign-in must change it.
/// </summary>
public sealed partial class InitialInstructorSeeder(
    IServiceScopeFactory scopeFactory,
    IOptions<AccountsOptions> options,
    DataDirectory dataDirectory,
    ILogger<InitialInstructorSeeder> logger) : IHostedService
{
    public const string PasswordFileName = "initial-instructor-password.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (await db.Users.AnyAsync(u => u.Role == UserRole.Instructor, cancellationToken))
        {
            return;
        }

        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var configured = options.Value.InitialInstructorPassword;
        var userName = options.Value.InitialInstructorUserName;
        if (!string.IsNullOrEmpty(configured))
        {
            db.Users.Add(accounts.NewUser(userName, userName, configured, UserRole.Instructor, mustChangePassword: false));
            await db.SaveChangesAsync(cancellationToken);
            LogConfigured(userName);
            return;
        }

        var password = AccountService.GeneratePassword();
        db.Users.Add(accounts.NewUser(userName, userName, password, UserRole.Instructor, mustChangePassword: true));
        await db.SaveChangesAsync(cancellationToken);
        var file = dataDirectory.File(PasswordFileName);
        await File.WriteAllTextAsync(file, $"{userName}\n{password}\n", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        LogGenerated(userName, password, file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first instructor '{UserName}' with the configured password.")]
    private partial void LogConfigured(string userName);

    // Logged exactly once, when the account is created: the operator's only other copy is the file.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first instructor '{UserName}' with one-time password {Password} (also in {File}); the first sign-in must change it.")]
    private partial void LogGenerated(string userName, string password, string file);
}
