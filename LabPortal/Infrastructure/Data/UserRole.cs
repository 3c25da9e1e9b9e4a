namespace LabPortal.Infrastructure.Data;

public enum UserRole
{
    Student = 0,
    Instructor = 1,
}
