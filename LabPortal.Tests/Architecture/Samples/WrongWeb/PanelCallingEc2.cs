using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Components;

namespace LabPortal.Tests.Architecture.Samples.WrongWeb.Components;

/// <summary>
/// A component calling EC2 itself, only inside an async handler: the compiler moves that body into a
/// nested state machine type, which the rule must see too. Never rendered: it only has to compile.
/// </summary>
public sealed class PanelCallingEc2 : ComponentBase
{
    public int Instances { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        using var ec2 = new AmazonEC2Client(new AnonymousAWSCredentials(), new AmazonEC2Config { ServiceURL = "http://127.0.0.1:9/" });
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        Instances = response.Reservations?.Count ?? 0;
    }
}
