using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using LabPortal.Sandbox.DataPlane;
using LabPortal.Sandbox.Services.Ec2;
using LabPortal.Sandbox.State;

namespace LabPortal.Sandbox.Services.Elbv2;

/// <summary>
/// What ELBv2 runs outside the persisted state: the published snapshots, each load balancer's
/// data-plane route (its DNS name), the health checker and the reaction to instance state changes.
/// Restores all of it on start and releases an account's part of it when the account is deleted.
/// </summary>
public sealed class Elbv2Runtime : ISandboxLifecycle, IAccountCleanup, IDisposable
{
    private readonly Dictionary<(string AccountId, string LoadBalancerArn), (string Region, string DnsName, IDisposable Route)> _routes = [];
    private readonly Lock _routesLock = new();
    private readonly Elbv2Snapshots _snapshots;
    private readonly Elbv2Router _router;
    private readonly Elbv2HealthChecker _health;
    private readonly IDataPlaneRoutes _dataPlane;
    private readonly SandboxState _state;
    private readonly IEc2Instances _instances;
    private readonly SandboxClock _clock;
    private IDisposable? _subscription;

    public Elbv2Runtime(
        Elbv2Snapshots snapshots,
        Elbv2Router router,
        Elbv2HealthChecker health,
        IDataPlaneRoutes dataPlane,
        SandboxState state,
        IEc2Instances instances,
        SandboxClock clock)
    {
        _snapshots = snapshots;
        _router = router;
        _health = health;
        _dataPlane = dataPlane;
        _state = state;
        _instances = instances;
        _clock = clock;
    }

    /// <summary>
    /// Publishes the region's state (call with the account's scope held, after every change): the
    /// data plane and the health checker see it at once, and load-balancer routes follow it.
    /// </summary>
    public void Publish(string accountId, string region, Elbv2RegionState state)
    {
        var snapshot = Elbv2Snapshot.Of(accountId, region, state);
        lock (_routesLock)
        {
            foreach (var loadBalancer in snapshot.State.LoadBalancers.Values)
            {
                if (!_routes.ContainsKey((accountId, loadBalancer.Arn)))
                {
                    var arn = loadBalancer.Arn;
                    var route = _dataPlane.Map(loadBalancer.DnsName, context => _router.HandleAsync(accountId, region, arn, context));
                    _routes[(accountId, arn)] = (region, loadBalancer.DnsName, route);
                }
            }

            foreach (var (key, value) in _routes.Where(r => r.Key.AccountId == accountId && r.Value.Region == region && !snapshot.State.LoadBalancers.ContainsKey(r.Key.LoadBalancerArn)).ToList())
            {
                value.Route.Dispose();
                _routes.Remove(key);
            }
        }

        _snapshots.Publish(snapshot);
    }

    /// <summary>The data-plane host names currently routed to load balancers of <paramref name="accountId"/>.</summary>
    public IReadOnlyList<string> RoutedHosts(string accountId)
    {
        lock (_routesLock)
        {
            return _routes.Where(r => r.Key.AccountId == accountId).Select(r => r.Value.DnsName).ToList();
        }
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var accountId in _state.AccountIds)
        {
            await using var scope = await _state.EnterAsync(accountId, cancellationToken);
            foreach (var (region, state) in scope.All<Elbv2RegionState>())
            {
                if (state.PruneDrained(_clock.UtcNow))
                {
                    scope.MarkChanged<Elbv2RegionState>(region);
                }

                Publish(accountId, region, state);
            }
        }

        _subscription = _instances.Subscribe(OnInstanceStateChangedAsync);
        _health.Start();
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _subscription = null;
        lock (_routesLock)
        {
            foreach (var value in _routes.Values)
            {
                value.Route.Dispose();
            }

            _routes.Clear();
        }

        return Task.CompletedTask;
    }

    public Task CleanUpAsync(AccountScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        lock (_routesLock)
        {
            foreach (var (key, value) in _routes.Where(r => r.Key.AccountId == scope.AccountId).ToList())
            {
                value.Route.Dispose();
                _routes.Remove(key);
            }
        }

        _snapshots.RemoveAccount(scope.AccountId);
        _health.ForgetAccount(scope.AccountId);
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>
    /// A stopped or restarted instance starts its checks over; a terminated one is deregistered
    /// (it drains, then disappears) as ELB does with terminated instance targets.
    /// </summary>
    private async Task OnInstanceStateChangedAsync(InstanceStateChanged change, CancellationToken cancellationToken)
    {
        if (change.CurrentState != Ec2InstanceState.Running)
        {
            _health.ForgetInstance(change.AccountId, change.InstanceId);
        }

        if (change.CurrentState is not (Ec2InstanceState.ShuttingDown or Ec2InstanceState.Terminated))
        {
            _health.Wake();
            return;
        }

        await using var scope = await _state.EnterAsync(change.AccountId, cancellationToken);
        var state = scope.Find<Elbv2RegionState>(change.Region);
        if (state is null)
        {
            return;
        }

        var changed = false;
        foreach (var group in state.TargetGroups.Values)
        {
            foreach (var target in group.Targets.Where(t => t.Id == change.InstanceId && t.DrainingUntil is null))
            {
                target.DrainingUntil = _clock.UtcNow + _clock.Scaled(TimeSpan.FromSeconds(DeregistrationDelaySeconds(group)));
                changed = true;
            }
        }

        if (changed)
        {
            state.PruneDrained(_clock.UtcNow);
            scope.MarkChanged<Elbv2RegionState>(change.Region);
            Publish(change.AccountId, change.Region, state);
        }
    }

    internal static int DeregistrationDelaySeconds(Elbv2TargetGroup group) =>
        int.Parse(group.Attributes.GetValueOrDefault(Elbv2Attributes.DeregistrationDelay, "300"), System.Globalization.CultureInfo.InvariantCulture);
}
