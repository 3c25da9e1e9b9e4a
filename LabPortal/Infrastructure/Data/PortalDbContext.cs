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
        });

        modelBuilder.Entity<ClassMembership>(membership =>
        {
            membership.HasKey(m => new { m.ClassroomId, m.UserId });
            membership.HasOne(m => m.Classroom).WithMany(c => c.Memberships).HasForeignKey(m => m.ClassroomId);
            membership.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId);
            membership.HasIndex(m => m.UserId);
        });
    }
}
