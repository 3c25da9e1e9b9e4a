using LabPortal.Sandbox.Runtime.Guest;

namespace LabPortal.Sandbox.Runtime.Shell.Commands;

/// <summary>The commands the shell subset runs, by name: every command module is registered here.</summary>
internal sealed class ShellCommandTable
{
    private readonly Dictionary<string, IShellCommand> _byName = new(StringComparer.Ordinal);

    public ShellCommandTable(IEnumerable<IShellCommand> commands)
    {
        foreach (var command in commands)
        {
            foreach (var name in command.Names)
            {
                if (!_byName.TryAdd(name, command))
                {
                    throw new InvalidOperationException($"Two shell commands are registered as '{name}'.");
                }
            }
        }
    }

    /// <summary>The commands of one machine, over its guest OS and metadata; <paramref name="shell"/> runs child scripts.</summary>
    public static ShellCommandTable Create(GuestOperatingSystem os, InstanceMetadataService metadataService, TimeProvider timeProvider, IScriptRunner shell)
    {
        var metadata = metadataService.Metadata;
        var web = new InstanceWebClient(os, metadataService, timeProvider);
        var installer = new PackageInstaller(os);
        var systemctl = new SystemctlCommand(os);
        return new ShellCommandTable(
        [
            // The shell's own builtins.
            new TrueCommand(),
            new FalseCommand(),
            new EchoCommand(),
            new PrintfCommand(),
            new ExportCommand(),
            new UnsetCommand(),
            new SetCommand(),
            new ExitCommand(),
            new ReturnCommand(),
            new ShiftCommand(),
            new LoopControlCommand(),
            new TestCommand(os),
            new CdCommand(os),
            new PwdCommand(),
            new SourceCommand(os, shell),
            new BashCommand(shell),
            new SuCommand(shell),

            // coreutils and friends over the guest file system.
            new CatCommand(os),
            new TeeCommand(os),
            new MkdirCommand(os),
            new RmCommand(os),
            new RmdirCommand(os),
            new CopyCommand(os),
            new TouchCommand(os),
            new LsCommand(os),
            new HostnameCommand(metadata),
            new WhoamiCommand(),
            new IdCommand(),
            new DateCommand(timeProvider),
            new UnameCommand(metadata),
            new AcceptedSilentlyCommand(),

            // Text filters.
            new SedCommand(os),
            new CutCommand(os),
            new AwkCommand(os),
            new GrepCommand(os),
            new HeadTailCommand(os),
            new TrCommand(),
            new WcCommand(os),

            // Network, packages, services, processes.
            new CurlCommand(os, web),
            new WgetCommand(os, web),
            new Ec2MetadataCommand(metadata),
            new YumCommand(os, installer),
            new AptGetCommand(installer),
            new AmazonLinuxExtrasCommand(installer),
            systemctl,
            new ServiceCommand(systemctl),
            new ChkconfigCommand(systemctl),
            new PythonCommand(os),
            new KillCommand(os),
        ]);
    }

    public IShellCommand? Find(string name) => _byName.GetValueOrDefault(name);
}
