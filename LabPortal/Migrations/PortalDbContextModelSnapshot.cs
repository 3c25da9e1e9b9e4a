using LabPortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LabPortal.Migrations;

/// <summary>
/// The model as the migrations leave it, written by hand (no EF design package here).
/// <c>Database_has_no_pending_model_changes</c> fails whenever this drifts from the DbContext.
/// </summary>
[DbContext(typeof(PortalDbContext))]
public sealed class PortalDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasAnnotation("ProductVersion", "10.0.14");

        modelBuilder.Entity("LabPortal.Infrastructure.Data.AuditEntry", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<string>("Action").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<int?>("ActorUserId").HasColumnType("INTEGER");
            b.Property<DateTime>("AtUtc").HasColumnType("TEXT");
            b.Property<int?>("ClassroomId").HasColumnType("INTEGER");
            b.Property<string>("Detail").IsRequired().HasMaxLength(4096).HasColumnType("TEXT");
            b.Property<int?>("LabRunId").HasColumnType("INTEGER");
            b.Property<string>("Outcome").IsRequired().HasMaxLength(32).HasColumnType("TEXT");
            b.Property<int?>("SubjectUserId").HasColumnType("INTEGER");
            b.HasKey("Id");
            b.HasIndex("ClassroomId");
            b.HasIndex("LabRunId");
            b.HasIndex("SubjectUserId");
            b.ToTable("Audit");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.ClassGuardrails", b =>
        {
            b.Property<int>("ClassroomId").HasColumnType("INTEGER");
            b.Property<string>("AllowedInstanceTypes").IsRequired().HasMaxLength(512).HasColumnType("TEXT");
            b.Property<decimal?>("BudgetUsd").HasColumnType("TEXT");
            b.Property<string>("LabRegions").IsRequired().HasMaxLength(512).HasColumnType("TEXT");
            b.Property<int>("MaxInstancesPerLearner").HasColumnType("INTEGER");
            b.Property<int>("MaxLoadBalancersPerLearner").HasColumnType("INTEGER");
            b.Property<DateTime>("UpdatedAtUtc").HasColumnType("TEXT");
            b.HasKey("ClassroomId");
            b.ToTable("ClassGuardrails");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.ClassMembership", b =>
        {
            b.Property<int>("ClassroomId").HasColumnType("INTEGER");
            b.Property<int>("UserId").HasColumnType("INTEGER");
            b.Property<DateTime>("JoinedAtUtc").HasColumnType("TEXT");
            b.Property<int>("Role").HasColumnType("INTEGER");
            b.HasKey("ClassroomId", "UserId");
            b.HasIndex("UserId");
            b.ToTable("ClassMemberships");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.Classroom", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<DateTime>("CreatedAtUtc").HasColumnType("TEXT");
            b.Property<int>("IdleLimitMinutes").ValueGeneratedOnAdd().HasColumnType("INTEGER").HasDefaultValue(120);
            b.Property<string>("JoinCode").IsRequired().HasMaxLength(16).HasColumnType("TEXT");
            b.Property<int>("MaxLifetimeMinutes").ValueGeneratedOnAdd().HasColumnType("INTEGER").HasDefaultValue(480);
            b.Property<string>("Name").IsRequired().HasMaxLength(80).HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("JoinCode").IsUnique();
            b.ToTable("Classrooms");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.CloudAccount", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<string>("AccessKeyId").HasMaxLength(128).HasColumnType("TEXT");
            b.Property<string>("AccountId").IsRequired().HasMaxLength(12).HasColumnType("TEXT");
            b.Property<DateTime>("CreatedAtUtc").HasColumnType("TEXT");
            b.Property<DateTime?>("DeletedAtUtc").HasColumnType("TEXT");
            b.Property<string>("ProtectedSecretAccessKey").HasMaxLength(1024).HasColumnType("TEXT");
            b.Property<int>("Provider").HasColumnType("INTEGER");
            b.Property<string>("RoleArn").HasMaxLength(256).HasColumnType("TEXT");
            b.Property<int>("UserId").HasColumnType("INTEGER");
            b.HasKey("Id");
            b.HasIndex("RoleArn").IsUnique().HasFilter("\"RoleArn\" IS NOT NULL AND \"DeletedAtUtc\" IS NULL");
            b.HasIndex("UserId");
            b.ToTable("CloudAccounts");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.LabRun", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<DateTime?>("CleanupWarnedAtUtc").HasColumnType("TEXT");
            b.Property<int?>("CloudAccountId").HasColumnType("INTEGER");
            b.Property<string>("CurrentStepId").HasMaxLength(64).HasColumnType("TEXT");
            b.Property<DateTime?>("ExtendedAtUtc").HasColumnType("TEXT");
            b.Property<DateTime?>("FinishedAtUtc").HasColumnType("TEXT");
            b.Property<string>("LabId").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<DateTime>("LastActivityAtUtc").HasColumnType("TEXT");
            b.Property<string>("NamePrefix").IsRequired().HasMaxLength(16).HasColumnType("TEXT");
            b.Property<string>("OutputsJson").IsRequired().HasColumnType("TEXT");
            b.Property<DateTime>("StartedAtUtc").HasColumnType("TEXT");
            b.Property<int>("Status").HasColumnType("INTEGER");
            b.Property<DateTime?>("TeardownLeaseUntilUtc").HasColumnType("TEXT");
            b.Property<string>("TeardownReason").HasMaxLength(32).HasColumnType("TEXT");
            b.Property<int>("UserId").HasColumnType("INTEGER");
            b.Property<string>("ValuesJson").IsRequired().HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("CloudAccountId");
            b.HasIndex("Status");
            b.HasIndex("UserId", "LabId");
            b.ToTable("LabRuns");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.LedgerEntry", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<string>("ClientToken").HasMaxLength(64).HasColumnType("TEXT");
            b.Property<DateTime?>("CompletedAtUtc").HasColumnType("TEXT");
            b.Property<DateTime>("CreatedAtUtc").HasColumnType("TEXT");
            b.Property<DateTime?>("DeletedAtUtc").HasColumnType("TEXT");
            b.Property<string>("Kind").IsRequired().HasMaxLength(40).HasColumnType("TEXT");
            b.Property<int>("LabRunId").HasColumnType("INTEGER");
            b.Property<string>("Name").IsRequired().HasMaxLength(255).HasColumnType("TEXT");
            b.Property<string>("Region").IsRequired().HasMaxLength(32).HasColumnType("TEXT");
            b.Property<string>("ResourceId").HasMaxLength(512).HasColumnType("TEXT");
            b.Property<int>("State").HasColumnType("INTEGER");
            b.Property<int?>("StepRunId").HasColumnType("INTEGER");
            b.HasKey("Id");
            b.HasIndex("LabRunId");
            b.ToTable("Ledger");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.StepRun", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<int>("Attempts").HasColumnType("INTEGER");
            b.Property<DateTime>("CreatedAtUtc").HasColumnType("TEXT");
            b.Property<string>("ErrorCode").HasMaxLength(128).HasColumnType("TEXT");
            b.Property<string>("ErrorMessage").HasMaxLength(2048).HasColumnType("TEXT");
            b.Property<DateTime?>("FinishedAtUtc").HasColumnType("TEXT");
            b.Property<string>("InputJson").IsRequired().HasColumnType("TEXT");
            b.Property<int>("LabRunId").HasColumnType("INTEGER");
            b.Property<DateTime?>("LeaseUntilUtc").HasColumnType("TEXT");
            b.Property<string>("RequestIds").HasMaxLength(2048).HasColumnType("TEXT");
            b.Property<DateTime?>("StartedAtUtc").HasColumnType("TEXT");
            b.Property<string>("StepId").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<int>("Status").HasColumnType("INTEGER");
            b.Property<DateTime?>("WaitingUntilUtc").HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("LabRunId", "StepId");
            b.ToTable("StepRuns");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.User", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<DateTime>("CreatedAtUtc").HasColumnType("TEXT");
            b.Property<string>("DisplayName").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<int>("FailedSignInCount").HasColumnType("INTEGER");
            b.Property<DateTime?>("LockedOutUntilUtc").HasColumnType("TEXT");
            b.Property<bool>("MustChangePassword").HasColumnType("INTEGER");
            b.Property<string>("NormalizedUserName").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<string>("PasswordHash").IsRequired().HasMaxLength(256).HasColumnType("TEXT");
            b.Property<int>("Role").HasColumnType("INTEGER");
            b.Property<string>("SecurityStamp").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.Property<string>("UserName").IsRequired().HasMaxLength(64).HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("NormalizedUserName").IsUnique();
            b.ToTable("Users");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.ClassMembership", b =>
        {
            b.HasOne("LabPortal.Infrastructure.Data.Classroom", "Classroom")
                .WithMany("Memberships")
                .HasForeignKey("ClassroomId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.HasOne("LabPortal.Infrastructure.Data.User", "User")
                .WithMany("Memberships")
                .HasForeignKey("UserId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.Navigation("Classroom");
            b.Navigation("User");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.ClassGuardrails", b =>
        {
            b.HasOne("LabPortal.Infrastructure.Data.Classroom", "Classroom")
                .WithOne()
                .HasForeignKey("LabPortal.Infrastructure.Data.ClassGuardrails", "ClassroomId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.Navigation("Classroom");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.CloudAccount", b =>
        {
            b.HasOne("LabPortal.Infrastructure.Data.User", "User")
                .WithMany()
                .HasForeignKey("UserId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.Navigation("User");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.LabRun", b =>
        {
            b.HasOne("LabPortal.Infrastructure.Data.CloudAccount", "CloudAccount")
                .WithMany()
                .HasForeignKey("CloudAccountId")
                .OnDelete(DeleteBehavior.SetNull);
            b.HasOne("LabPortal.Infrastructure.Data.User", "User")
                .WithMany()
                .HasForeignKey("UserId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.Navigation("CloudAccount");
            b.Navigation("User");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.LedgerEntry", b =>
        {
            b.HasOne("LabPortal.Infrastructure.Data.LabRun", "LabRun")
                .WithMany("Ledger")
                .HasForeignKey("LabRunId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.Navigation("LabRun");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.StepRun", b =>
        {
            b.HasOne("LabPortal.Infrastructure.Data.LabRun", "LabRun")
                .WithMany("Steps")
                .HasForeignKey("LabRunId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
            b.Navigation("LabRun");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.LabRun", b =>
        {
            b.Navigation("Ledger");
            b.Navigation("Steps");
        });

        modelBuilder.Entity("LabPortal.Infrastructure.Data.Classroom", b => b.Navigation("Memberships"));
        modelBuilder.Entity("LabPortal.Infrastructure.Data.User", b => b.Navigation("Memberships"));
    }
}
