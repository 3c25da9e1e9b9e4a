using Microsoft.AspNetCore.Http;

namespace LabPortal.Tests.Architecture.Samples.Lookups.Features.Gamma;

/// <summary>Breaks it too: a request's own container is a container all the same.</summary>
public static class UsingRequestServices
{
    public static object? Find(HttpContext context, Type type)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetService(type);
    }
}
