namespace LabPortal.Features.Instructors;

/// <summary>Whether a signed-in user may see a class's instructor pages.</summary>
public enum ClassAccess
{
    /// <summary>One of the class's instructors.</summary>
    Allowed,

    /// <summary>The class exists but the user is not one of its instructors (a student, another class's instructor).</summary>
    Forbidden,

    NotFound,
}
