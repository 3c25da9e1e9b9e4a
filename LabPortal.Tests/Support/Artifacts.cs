namespace LabPortal.Tests.Support;

/// <summary>
/// Where tests keep files a person looks at afterwards (screenshots): <c>TestResults/artifacts</c>
/// at the repository root, or <c>LABPORTAL_ARTIFACTS</c> when set.
/// </summary>
public static class Artifacts
{
    public static string Directory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("LABPORTAL_ARTIFACTS");
            var path = configured is { Length: > 0 } ? configured : Path.Combine(RepositoryRoot(), "TestResults", "artifacts");
            System.IO.Directory.CreateDirectory(path);
            return path;
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LabPortal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LabPortal.slnx not found above " + AppContext.BaseDirectory);
    }
}
