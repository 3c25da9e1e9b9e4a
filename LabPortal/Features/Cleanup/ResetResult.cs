namespace LabPortal.Features.Cleanup;

public enum ResetResult
{
    /// <summary>Teardowns were scheduled (possibly none, when nothing was live).</summary>
    Started,

    /// <summary>The caller is not an instructor of the class: nothing changed.</summary>
    Forbidden,

    /// <summary>The learner is not a student of the class: nothing changed.</summary>
    NotFound,
}
