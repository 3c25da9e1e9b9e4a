using LabPortal.Infrastructure;
using LabPortal.Infrastructure.Data;
using LabPortal.Infrastructure.Scopes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabPortal.Features.Accounts;

/// <summary>
/// Makes sure the portal has an instructor. The first account is an Administrator and an Instructor. Without a
/// configured password it gets a one-time one, logged once and written, labelled, to the data folder; the first
/// sign-in must change it.
/// </summary>
public sealed partial class InitialInstructorSeeder(
    Scoped<PortalDbContext> databases,
    Scoped<AccountService> accountServices,
    IOptions<AccountsOptions> options,
    DataDirectory dataDirectory,
    ILogger<InitialInstructorSeeder> logger) : IHostedService
{
    public const string PasswordFileName = "initial-instructor-password.txt";

    /// <summary>The labels of the file's lines, in both languages (ADR 0002); the value follows the colon.</summary>
    public const string UserNameLabel = "User name / 사용자 이름: ";

    public const string PasswordLabel = "One-time password / 일회용 비밀번호: ";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = databases.Begin())
        {
            if (await db.Service.UserRoles.AnyAsync(r => r.RoleId == Roles.InstructorId, cancellationToken))
            {
                return;
            }
        }

        await using var lease = accountServices.Begin();
        var accounts = lease.Service;
        var configured = options.Value.InitialInstructorPassword;
        var userName = options.Value.InitialInstructorUserName;
        if (!string.IsNullOrEmpty(configured))
        {
            await accounts.CreateUserAsync(userName, userName, configured, mustChangePassword: false, Roles.Administrator, Roles.Instructor);
            LogConfigured(userName);
            return;
        }

        var password = AccountService.GeneratePassword();
        await accounts.CreateUserAsync(userName, userName, password, mustChangePassword: true, Roles.Administrator, Roles.Instructor);
        var file = dataDirectory.File(PasswordFileName);
        await File.WriteAllTextAsync(file, FileText(userName, password), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        LogGenerated(userName, password, file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What the file says: what it is, the two values on labelled lines, and that it goes away.</summary>
    public static string FileText(string userName, string password) =>
        "LabPortal: the first account (administrator and instructor) / LabPortal 첫 계정 (관리자 겸 강사)\n" +
        $"{UserNameLabel}{userName}\n" +
        $"{PasswordLabel}{password}\n" +
        "Sign in with it and choose your own password; this file is then deleted. / " +
        "이 비밀번호로 로그인한 뒤 새 비밀번호를 정하세요. 그러면 이 파일은 삭제됩니다.\n";

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first account '{UserName}' (administrator and instructor) with the configured password.")]
    private partial void LogConfigured(string userName);

    // Logged exactly once, when the account is created: the operator's only other copy is the file.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first account '{UserName}' (administrator and instructor) with one-time password {Password} (also in {File}); the first sign-in must change it.")]
    private partial void LogGenerated(string userName, string password, string file);
}
