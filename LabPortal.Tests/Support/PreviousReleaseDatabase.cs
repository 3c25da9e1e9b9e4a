using System.Security.Cryptography;
using System.Xml.Linq;
using LabPortal.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabPortal.Tests.Support;

/// <summary>
/// Writes the data folder the upgrade tests start from (<c>Fixtures/Upgrade/previous-release/</c>): the portal
/// database with the schema the portal's migrations build at the commit it runs on and rows in every table, and
/// the Data Protection key ring that protects its cloud secrets. Everything is made through the portal's own
/// entities, account service and protector purpose, so the password hashes and the protected secret are the
/// ones a running portal wrote. How to regenerate the checked-in folder: <c>Fixtures/Upgrade/README.md</c>.
/// </summary>
public static class PreviousReleaseDatabase
{
    /// <summary>When set, <c>PreviousReleaseDatabaseTests</c> writes the data folder to this directory as well.</summary>
    public const string OutputVariable = "LABPORTAL_WRITE_UPGRADE_FIXTURE";

    /// <summary>The portal's database file name in a data folder.</summary>
    public const string DatabaseFile = "labportal.db";

    /// <summary>EF's migration lock (EF 9 and later): empty except while a migration runs, so the one table without rows.</summary>
    public const string MigrationLockTable = "__EFMigrationsLock";

    /// <summary>What the portal calls itself to Data Protection (<c>AccountsModule</c>), and the purpose of the cloud secrets (<c>LearnerCloud</c>).</summary>
    public const string ApplicationName = "LabPortal";

    public const string CloudSecretPurpose = "LabPortal.CloudAccounts.v1";

    /// <summary>
    /// Tables Identity's EF stores create that the portal never writes (no external logins, user or role claims,
    /// or stored tokens): the generator leaves them empty.
    /// </summary>
    public static readonly IReadOnlyList<string> UnusedIdentityTables = ["AspNetRoleClaims", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserTokens"];

    /// <summary>The sandbox secret key of Mina's cloud account, stored protected.</summary>
    public const string MinaSecretAccessKey = "old-release-secret-mina-0001";

    /// <summary>The checked-in data folder, as copied beside the test assembly.</summary>
    public static string CheckedInFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Upgrade", "previous-release");

    /// <summary>The checked-in database.</summary>
    public static string CheckedInFile => Path.Combine(CheckedInFolder, DatabaseFile);

    /// <summary>The accounts in the file and the passwords they were created with.</summary>
    public static readonly IReadOnlyList<PreviousReleaseAccount> Accounts =
    [
        new("park.teacher", "Park Jiwon", "old-release-teacher-7", UserRole.Instructor),
        new("mina", "Kim Mina", "old-release-mina-7", UserRole.Student),
        new("joon", "Lee Joon", "old-release-joon-7", UserRole.Student),
    ];

    private static readonly DateTime Start = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Writes <c>labportal.db</c> and <c>keys/</c> into <paramref name="directory"/>, replacing what was there.</summary>
    public static async Task WriteAsync(string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, DatabaseFile);
        File.Delete(path);
        var keys = new DirectoryInfo(Path.Combine(directory, "keys"));
        if (keys.Exists)
        {
            keys.Delete(recursive: true);
        }

        var protector = DataProtectionProvider.Create(keys, protection => protection.SetApplicationName(ApplicationName)).CreateProtector(CloudSecretPurpose);
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite($"Data Source={path};Pooling=False;Foreign Keys=True")
            .Options;
        await using var db = new PortalDbContext(options);
        await db.Database.MigrateAsync(cancellationToken);

        // As Identity's user manager writes them (V3 hash, stamp, lockout on), with the portal's roles.
        var hasher = new PasswordHasher<User>();
        var users = Accounts.ToDictionary(a => a.UserName, a =>
        {
            var user = new User
            {
                UserName = a.UserName,
                NormalizedUserName = User.Normalize(a.UserName),
                DisplayName = a.DisplayName,
                SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                LockoutEnabled = true,
                CreatedAtUtc = Start,
            };
            user.PasswordHash = hasher.HashPassword(user, a.Password);
            return user;
        });
        var teacher = users["park.teacher"];
        var mina = users["mina"];
        var joon = users["joon"];
        joon.AccessFailedCount = 2;
        db.Users.AddRange(users.Values);
        await db.SaveChangesAsync(cancellationToken);
        db.UserRoles.AddRange(Accounts.Select(a => new IdentityUserRole<int>
        {
            UserId = users[a.UserName].Id,
            RoleId = a.Role == UserRole.Instructor ? Roles.InstructorId : Roles.StudentId,
        }));
        db.UserRoles.Add(new IdentityUserRole<int> { UserId = teacher.Id, RoleId = Roles.AdministratorId });

        var classroom = new Classroom
        {
            Name = "Cloud 101 (Monday)",
            JoinCode = "MON7K2Q9",
            CreatedAtUtc = Start,
            IdleLimitMinutes = 90,
            MaxLifetimeMinutes = 300,
        };
        classroom.Memberships.Add(new ClassMembership { User = teacher, Role = UserRole.Instructor, JoinedAtUtc = Start });
        classroom.Memberships.Add(new ClassMembership { User = mina, Role = UserRole.Student, JoinedAtUtc = Start.AddMinutes(5) });
        classroom.Memberships.Add(new ClassMembership { User = joon, Role = UserRole.Student, JoinedAtUtc = Start.AddMinutes(7) });
        db.Classrooms.Add(classroom);
        db.ClassGuardrails.Add(new ClassGuardrails
        {
            Classroom = classroom,
            AllowedInstanceTypes = "t3.micro",
            MaxInstancesPerLearner = 4,
            MaxLoadBalancersPerLearner = 1,
            LabRegions = "ap-northeast-2",
            BudgetUsd = 12.50m,
            UpdatedAtUtc = Start.AddMinutes(2),
        });

        var minaAccount = new CloudAccount
        {
            User = mina,
            Provider = CloudProvider.Sandbox,
            AccountId = "000000000101",
            AccessKeyId = "LKIAQAAAAAAAAMINA001",
            ProtectedSecretAccessKey = protector.Protect(MinaSecretAccessKey),
            CreatedAtUtc = Start.AddMinutes(10),
        };
        var joonAccount = new CloudAccount
        {
            User = joon,
            Provider = CloudProvider.AwsAccountPool,
            AccountId = "111111111111",
            RoleArn = "arn:aws:iam::111111111111:role/LabPortalLearner",
            CreatedAtUtc = Start.AddMinutes(12),
        };
        var joonOldAccount = new CloudAccount
        {
            User = joon,
            Provider = CloudProvider.AwsAccountPool,
            AccountId = "222222222222",
            RoleArn = "arn:aws:iam::222222222222:role/LabPortalLearner",
            CreatedAtUtc = Start.AddMinutes(11),
            DeletedAtUtc = Start.AddMinutes(11.5),
        };
        db.CloudAccounts.AddRange(minaAccount, joonAccount, joonOldAccount);

        // Mina is midway through Lab 1: two steps done, the third failed, one instance only intended.
        var active = new LabRun
        {
            User = mina,
            LabId = "alb-two-web-servers",
            Status = LabRunStatus.Active,
            CurrentStepId = "instances",
            CloudAccount = minaAccount,
            NamePrefix = "lp2-mina",
            StartedAtUtc = Start.AddMinutes(15),
            LastActivityAtUtc = Start.AddMinutes(40),
            ValuesJson = """{"instanceType":"t3.micro","groupName":"web-sg"}""",
            OutputsJson = """{"vpcId":"vpc-0a1b2c3d4e5f60718","securityGroupId":"sg-0123456789abcdef0"}""",
        };
        var concepts = new StepRun { StepId = "concepts", Status = StepRunStatus.Succeeded, Attempts = 1, InputJson = """{"q1":"b"}""", CreatedAtUtc = Start.AddMinutes(16), StartedAtUtc = Start.AddMinutes(16), FinishedAtUtc = Start.AddMinutes(16) };
        var securityGroup = new StepRun { StepId = "security-group", Status = StepRunStatus.Succeeded, Attempts = 1, InputJson = """{"groupName":"web-sg"}""", CreatedAtUtc = Start.AddMinutes(20), StartedAtUtc = Start.AddMinutes(20), FinishedAtUtc = Start.AddMinutes(21), RequestIds = "3f1c9a7e-0b4d-4c55-9d2e-6a8b7c1d2e3f 7d2e1c0b-9a8f-4e6d-8c5b-4a3f2e1d0c9b" };
        var instances = new StepRun { StepId = "instances", Status = StepRunStatus.Failed, Attempts = 2, InputJson = """{"instanceType":"t3.micro"}""", CreatedAtUtc = Start.AddMinutes(30), StartedAtUtc = Start.AddMinutes(30), FinishedAtUtc = Start.AddMinutes(32), ErrorCode = "InsufficientInstanceCapacity", ErrorMessage = "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested.", RequestIds = "5b6c7d8e-1f2a-4b3c-9d4e-0f1a2b3c4d5e" };
        active.Steps.AddRange([concepts, securityGroup, instances]);

        // Joon finished Lab 2 and tore it down; an older Lab 1 run kept its resources for the next lab.
        var tornDown = new LabRun
        {
            User = joon,
            LabId = "asg-behind-alb",
            Status = LabRunStatus.TornDown,
            CurrentStepId = "finish",
            CloudAccount = joonAccount,
            NamePrefix = "lp3-joon",
            StartedAtUtc = Start.AddMinutes(20),
            LastActivityAtUtc = Start.AddMinutes(95),
            FinishedAtUtc = Start.AddMinutes(100),
            CleanupWarnedAtUtc = Start.AddMinutes(80),
            ExtendedAtUtc = Start.AddMinutes(82),
            TeardownReason = TeardownReason.Learner,
            ValuesJson = """{"desiredCapacity":"2"}""",
            OutputsJson = """{"autoScalingGroupName":"lp3-joon-asg"}""",
        };
        var launchTemplate = new StepRun { StepId = "launch-template", Status = StepRunStatus.Succeeded, Attempts = 1, InputJson = "{}", CreatedAtUtc = Start.AddMinutes(25), StartedAtUtc = Start.AddMinutes(25), FinishedAtUtc = Start.AddMinutes(26), RequestIds = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b" };
        var group = new StepRun { StepId = "auto-scaling-group", Status = StepRunStatus.Succeeded, Attempts = 1, InputJson = """{"desiredCapacity":"2"}""", CreatedAtUtc = Start.AddMinutes(30), StartedAtUtc = Start.AddMinutes(30), FinishedAtUtc = Start.AddMinutes(34) };
        tornDown.Steps.AddRange([launchTemplate, group]);

        var kept = new LabRun
        {
            User = joon,
            LabId = "alb-two-web-servers",
            Status = LabRunStatus.Kept,
            CurrentStepId = "finish",
            CloudAccount = joonOldAccount,
            NamePrefix = "lp1-joon",
            StartedAtUtc = Start.AddMinutes(12),
            LastActivityAtUtc = Start.AddMinutes(18),
            FinishedAtUtc = Start.AddMinutes(19),
        };
        var keptStep = new StepRun { StepId = "security-group", Status = StepRunStatus.Succeeded, Attempts = 1, InputJson = """{"groupName":"lab1-sg"}""", CreatedAtUtc = Start.AddMinutes(13), StartedAtUtc = Start.AddMinutes(13), FinishedAtUtc = Start.AddMinutes(14) };
        kept.Steps.Add(keptStep);
        db.LabRuns.AddRange(active, tornDown, kept);
        await db.SaveChangesAsync(cancellationToken);

        // The ledger names step runs by id (no foreign key), so it is written once they have one.
        db.Ledger.AddRange(
            Ledger(active, securityGroup, ResourceKind.Vpc, "lp2-mina-vpc", "vpc-0a1b2c3d4e5f60718", LedgerState.Created, 20),
            Ledger(active, securityGroup, ResourceKind.SecurityGroup, "lp2-mina-web-sg", "sg-0123456789abcdef0", LedgerState.Created, 21),
            Ledger(active, instances, ResourceKind.Instance, "lp2-mina-web-1", null, LedgerState.Intended, 31, clientToken: "lp2-mina-web-1-3c1f"),
            Ledger(tornDown, launchTemplate, ResourceKind.LaunchTemplate, "lp3-joon-lt", "lt-0fedcba9876543210", LedgerState.Deleted, 26),
            Ledger(tornDown, group, ResourceKind.AutoScalingGroup, "lp3-joon-asg", "arn:aws:autoscaling:ap-northeast-2:111111111111:autoScalingGroup:4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f:autoScalingGroupName/lp3-joon-asg", LedgerState.Deleted, 33),
            Ledger(kept, keptStep, ResourceKind.SecurityGroup, "lp1-joon-lab1-sg", "sg-0aaaabbbbccccdddd", LedgerState.Created, 14));

        db.Audit.AddRange(
            new AuditEntry { AtUtc = Start.AddMinutes(80), Action = "cleanup-warned", ClassroomId = classroom.Id, SubjectUserId = joon.Id, LabRunId = tornDown.Id, Outcome = "succeeded", Detail = "Idle for 60 minutes." },
            new AuditEntry { AtUtc = Start.AddMinutes(82), ActorUserId = joon.Id, Action = "extended", ClassroomId = classroom.Id, SubjectUserId = joon.Id, LabRunId = tornDown.Id, Outcome = "succeeded" },
            new AuditEntry { AtUtc = Start.AddMinutes(110), ActorUserId = teacher.Id, Action = "reset-learner", ClassroomId = classroom.Id, SubjectUserId = joon.Id, Outcome = "succeeded", Detail = "Deleted lp3-joon-lt, lp3-joon-asg." });
        await db.SaveChangesAsync(cancellationToken);

        // The key ring as a running portal keeps it since issue 16: in the database (the files stay, as after an import).
        db.DataProtectionKeys.AddRange(keys.GetFiles("*.xml").OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new DataProtectionKey
        {
            FriendlyName = Path.GetFileNameWithoutExtension(f.Name),
            Xml = XElement.Load(f.FullName).ToString(SaveOptions.DisableFormatting),
        }));
        await db.SaveChangesAsync(cancellationToken);

        // A compact file in rollback-journal mode: nothing left in a -wal file beside it.
        await db.Database.ExecuteSqlRawAsync("VACUUM;", cancellationToken);
    }

    private static LedgerEntry Ledger(LabRun run, StepRun step, ResourceKind kind, string name, string? resourceId, LedgerState state, int minute, string? clientToken = null) => new()
    {
        LabRun = run,
        StepRunId = step.Id,
        Kind = kind,
        Name = name,
        ResourceId = resourceId,
        ClientToken = clientToken,
        Region = "ap-northeast-2",
        State = state,
        CreatedAtUtc = Start.AddMinutes(minute),
        CompletedAtUtc = state == LedgerState.Intended ? null : Start.AddMinutes(minute + 0.5),
        DeletedAtUtc = state == LedgerState.Deleted ? Start.AddMinutes(105) : null,
    };
}
