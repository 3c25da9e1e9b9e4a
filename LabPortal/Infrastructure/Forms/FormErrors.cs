using Microsoft.AspNetCore.Components.Forms;

namespace LabPortal.Infrastructure.Forms;

public static class FormErrors
{
    /// <summary>
    /// Shows a use case's field errors beside their fields and marks the response 400, so a bad
    /// submission is visible to people (the message) and to tools (the status).
    /// Returns true when there were errors.
    /// </summary>
    public static bool Show<T>(this EditContext editContext, ValidationMessageStore messages, FormResult<T> result, HttpContext httpContext)
    {
        messages.Clear();
        if (result.Succeeded)
        {
            return false;
        }

        foreach (var (field, message) in result.Errors)
        {
            messages.Add(editContext.Field(field), message);
        }

        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        editContext.NotifyValidationStateChanged();
        return true;
    }
}
