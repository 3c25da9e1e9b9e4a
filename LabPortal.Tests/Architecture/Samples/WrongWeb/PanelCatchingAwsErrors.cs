using Microsoft.AspNetCore.Components;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Components;

/// <summary>A component naming an AWS type only inside a method body.</summary>
public sealed class PanelCatchingAwsErrors : ComponentBase
{
    public string? Problem { get; private set; }

    public void Show(Func<int> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            read();
        }
        catch (Amazon.Runtime.AmazonServiceException e)
        {
            Problem = e.ErrorCode;
        }
    }
}
