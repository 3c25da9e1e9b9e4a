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
            b.Property<string>("JoinCode").IsRequired().HasMaxLength(16).HasColumnType("TEXT");
            b.Property<string>("Name").IsRequired().HasMaxLength(80).HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("JoinCode").IsUnique();
            b.ToTable("Classrooms");
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

        modelBuilder.Entity("LabPortal.Infrastructure.Data.Classroom", b => b.Navigation("Memberships"));
        modelBuilder.Entity("LabPortal.Infrastructure.Data.User", b => b.Navigation("Memberships"));
    }
}
