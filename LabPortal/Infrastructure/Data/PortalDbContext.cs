using Microsoft.EntityFrameworkCore;

namespace LabPortal.Infrastructure.Data;

/// <summary>
/// The portal's database. Used directly by the feature services (no repositories: ADR-0001).
/// Migrations are written by hand in <c>Migrations/</c> because the EF design package does not
/// restore here; a test keeps the model snapshot honest.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Classroom> Classrooms => Set<Classroom>();

    public DbSet<ClassMembership> ClassMemberships => Set<ClassMembership>();

    public DbSet<LabRun> LabRuns => Set<LabRun>();

    public DbSet<StepRun> StepRuns => Set<StepRun>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<CloudAccount> CloudAccounts => Set<CloudAccount>();

    public DbSet<ClassGuardrails> ClassGuardrails => Set<ClassGuardrails>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.Property(u => u.UserName).HasMaxLength(64);
            user.Property(u => u.NormalizedUserName).HasMaxLength(64);
            user.HasIndex(u => u.NormalizedUserName).IsUnique();
            user.Property(u => u.DisplayName).HasMaxLength(64);
            user.Property(u => u.PasswordHash).HasMaxLength(256);
            user.Property(u => u.SecurityStamp).HasMaxLength(64);
        });

        modelBuilder.Entity<Classroom>(classroom =>
        {
            classroom.Property(c => c.Name).HasMaxLength(80);
            classroom.Property(c => c.JoinCode).HasMaxLength(16);
            classroom.HasIndex(c => c.JoinCode).IsUnique();
            classroom.Property(c => c.IdleLimitMinutes).HasDefaultValue(120);
            classroom.Property(c => c.MaxLifetimeMinutes).HasDefaultValue(480);
        });

        modelBuilder.Entity<ClassMembership>(membership =>
        {
            membership.HasKey(m => new { m.ClassroomId, m.UserId });
            membership.HasOne(m => m.Classroom).WithMany(c => c.Memberships).HasForeignKey(m => m.ClassroomId);
            membership.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId);
            membership.HasIndex(m => m.UserId);
        });

        modelBuilder.Entity<CloudAccount>(account =>
        {
            account.Property(a => a.AccountId).HasMaxLength(12);
            account.Property(a => a.AccessKeyId).HasMaxLength(128);
            account.Property(a => a.ProtectedSecretAccessKey).HasMaxLength(1024);
            account.Property(a => a.RoleArn).HasMaxLength(256);
            account.HasOne(a => a.User).WithMany().HasForeignKey(a => a.UserId);
            account.HasIndex(a => a.UserId);

            // An account pool's account serves one learner at a time (issue 17): one live row per role.
            account.HasIndex(a => a.RoleArn).IsUnique().HasFilter("\"RoleArn\" IS NOT NULL AND \"DeletedAtUtc\" IS NULL");
        });

        modelBuilder.Entity<ClassGuardrails>(guardrails =>
        {
            guardrails.HasKey(g => g.ClassroomId);
            guardrails.HasOne(g => g.Classroom).WithOne().HasForeignKey<ClassGuardrails>(g => g.ClassroomId);
            guardrails.Property(g => g.AllowedInstanceTypes).HasMaxLength(512);
            guardrails.Property(g => g.LabRegions).HasMaxLength(512);
        });

        modelBuilder.Entity<LabRun>(run =>
        {
            run.Property(r => r.LabId).HasMaxLength(64);
            run.Property(r => r.CurrentStepId).HasMaxLength(64);
            run.Property(r => r.NamePrefix).HasMaxLength(16);
            run.Property(r => r.TeardownReason).HasMaxLength(32);
            run.HasIndex(r => r.Status);
            run.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId);
            run.HasOne(r => r.CloudAccount).WithMany().HasForeignKey(r => r.CloudAccountId).OnDelete(DeleteBehavior.SetNull);
            run.HasIndex(r => new { r.UserId, r.LabId });
            run.HasIndex(r => r.CloudAccountId);
        });

        modelBuilder.Entity<StepRun>(step =>
        {
            step.Property(s => s.StepId).HasMaxLength(64);
            step.Property(s => s.ErrorCode).HasMaxLength(128);
            step.Property(s => s.ErrorMessage).HasMaxLength(2048);
            step.Property(s => s.RequestIds).HasMaxLength(2048);
            step.HasOne(s => s.LabRun).WithMany(r => r.Steps).HasForeignKey(s => s.LabRunId);
            step.HasIndex(s => new { s.LabRunId, s.StepId });
        });

        modelBuilder.Entity<LedgerEntry>(entry =>
        {
            entry.Property(e => e.Kind).HasMaxLength(40);
            entry.Property(e => e.Name).HasMaxLength(255);
            entry.Property(e => e.ClientToken).HasMaxLength(64);
            entry.Property(e => e.ResourceId).HasMaxLength(512);
            entry.Property(e => e.Region).HasMaxLength(32);
            entry.HasOne(e => e.LabRun).WithMany(r => r.Ledger).HasForeignKey(e => e.LabRunId);
            entry.HasIndex(e => e.LabRunId);
        });

        modelBuilder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("Audit");
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Outcome).HasMaxLength(32);
            audit.Property(a => a.Detail).HasMaxLength(4096);
            audit.HasIndex(a => a.ClassroomId);
            audit.HasIndex(a => a.SubjectUserId);
            audit.HasIndex(a => a.LabRunId);
        });
    }
}
