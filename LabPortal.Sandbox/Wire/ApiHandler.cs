namespace LabPortal.Sandbox.Wire;

/// <summary>Handles one operation of a service.</summary>
public delegate Task<ApiResult> ApiHandler(ApiRequest request, CancellationToken cancellationToken);
