namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>Identifies one registration (a target group, an instance and its port) in one account, for runtime health and routing state.</summary>
public readonly record struct Elbv2TargetKey(string AccountId, string TargetGroupArn, string TargetId, int Port);
