using LabPortal.Sandbox.Runtime.Guest;
using LabPortal.Sandbox.Runtime.Shell.Session;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary><c>ec2-metadata [-i -t -z ...] [--quiet]</c>, Amazon Linux's metadata helper.</summary>
internal sealed class Ec2MetadataCommand(InstanceMetadata metadata) : IShellCommand
{
    public IReadOnlyList<string> Names { get; } = ["ec2-metadata"];

    public int Run(CommandContext context, List<string> arguments)
        => Ec2Metadata(arguments, context.Io);

    private int Ec2Metadata(List<string> arguments, CommandIo io)
    {
        var m = metadata;
        var fields = new (string Short, string Long, string Label, string? Value)[]
        {
            ("-a", "--ami-id", "ami-id", m.ImageId),
            ("-i", "--instance-id", "instance-id", m.InstanceId),
            ("-t", "--instance-type", "instance-type", m.InstanceType),
            ("-h", "--local-hostname", "local-hostname", m.LocalHostname),
            ("-o", "--local-ipv4", "local-ipv4", m.LocalIpv4),
            ("-z", "--availability-zone", "placement", m.AvailabilityZone),
            ("-p", "--public-hostname", "public-hostname", m.PublicHostname),
            ("-v", "--public-ipv4", "public-ipv4", m.PublicIpv4),
            ("-R", "--region", "region", m.Region),
        };
        var quiet = arguments.Contains("--quiet");
        var selected = fields.Where(f => arguments.Contains(f.Short) || arguments.Contains(f.Long)).ToList();
        if (selected.Count == 0)
        {
            selected = [.. fields];
        }

        foreach (var (_, _, label, value) in selected)
        {
            io.WriteLine(quiet ? value ?? "not available" : $"{label}: {value ?? "not available"}");
        }

        return 0;
    }
}
