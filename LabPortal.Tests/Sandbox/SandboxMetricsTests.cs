using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LabPortal.Sandbox;
using LabPortal.Sandbox.Accounts;
using LabPortal.Sandbox.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LabPortal.Tests.Sandbox;

/// <summary>The sandbox's API call counter: what the live-panel benchmark reads to count DescribeTargetHealth at the cloud.</summary>
public sealed class SandboxMetricsTests : IAsyncLifetime
{
    private readonly FakeMachineFactory _machines = new();
    private readonly ConcurrentQueue<(string? Service, string? Action, string? Account)> _calls = new();
    private readonly MeterListener _listener = new();
    private SandboxServer _server = null!;
    private SandboxAccount _account = null!;
    private SandboxApiClient _client = null!;

    public async Task InitializeAsync()
    {
        (_server, _account, _client) = await TestSandbox.StartWithAccountAsync(_machines);
        // Only this sandbox's counter: other tests run sandboxes of their own at the same time.
        var counter = _server.Services.GetRequiredService<SandboxMetrics>().ApiCalls;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, counter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            for (var i = 0; i < value; i++)
            {
                _calls.Enqueue((map.GetValueOrDefault("aws.service"), map.GetValueOrDefault("aws.action"), map.GetValueOrDefault("aws.account")));
            }
        });
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Each_answered_call_is_counted_once_with_its_service_action_and_account()
    {
        (await _client.Ec2Async("DescribeVpcs")).EnsureOk();
        (await _client.Ec2Async("DescribeVpcs")).EnsureOk();
        var missing = await _client.CallAsync("elasticloadbalancing", "DescribeTargetHealth", "2015-12-01", [("TargetGroupArn", "arn:aws:elasticloadbalancing:ap-northeast-2:" + _account.AccountId + ":targetgroup/none/0123456789abcdef")]);

        Assert.NotNull(missing.ErrorCode);
        Assert.Equal(
            [("ec2", "DescribeVpcs", _account.AccountId), ("ec2", "DescribeVpcs", _account.AccountId), ("elasticloadbalancing", "DescribeTargetHealth", _account.AccountId)],
            _calls.ToArray());
    }

    [Fact]
    public async Task Unknown_actions_and_refused_signatures_are_not_counted()
    {
        var unknown = await _client.Ec2Async("DescribeUnicorns");
        var wrongKey = new SandboxApiClient(_server.Endpoints.Api, _account.AccessKeyId, "x" + _account.SecretAccessKey[1..]);
        var refused = await wrongKey.Ec2Async("DescribeVpcs");

        Assert.NotNull(unknown.ErrorCode);
        Assert.Equal("AuthFailure", refused.ErrorCode);
        Assert.Empty(_calls);
    }
}
