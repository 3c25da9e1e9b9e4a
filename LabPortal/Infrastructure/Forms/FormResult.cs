namespace LabPortal.Infrastructure.Forms;

/// <summary>A use case's answer to a form: a value, or a message per field (keyed by the input's property name).</summary>
public sealed record FormResult<T>(T? Value, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

public static class FormResult
{
    public static FormResult<T> Ok<T>(T value) => new(value, new Dictionary<string, string>());

    public static FormResult<T> Invalid<T>(Dictionary<string, string> errors) => new(default, errors);
}
