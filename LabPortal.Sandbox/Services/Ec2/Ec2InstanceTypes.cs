namespace LabPortal.Sandbox.Services.Ec2;

/// <summary>The instance types RunInstances accepts: the general-purpose and compute families labs use.</summary>
public static class Ec2InstanceTypes
{
    private static readonly HashSet<string> Known = Build();

    public static bool IsKnown(string instanceType) => Known.Contains(instanceType);

    private static HashSet<string> Build()
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { "m1.small", "m1.medium", "m1.large", "t1.micro" };
        string[] burstable = ["t2", "t3", "t3a", "t4g"];
        string[] burstableSizes = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"];
        foreach (var family in burstable)
        {
            foreach (var size in burstableSizes)
            {
                set.Add($"{family}.{size}");
            }
        }

        string[] fixedFamilies = ["m5", "m5a", "m6i", "m6g", "m7i", "m7g", "c5", "c6i", "c6g", "c7i", "c7g", "r5", "r6i", "r7i"];
        string[] fixedSizes = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"];
        foreach (var family in fixedFamilies)
        {
            foreach (var size in fixedSizes)
            {
                set.Add($"{family}.{size}");
            }
        }

        return set;
    }
}
