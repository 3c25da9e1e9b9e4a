using LabPortal.Aws.Core;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LabPortal.Tests.Portal.Cloud;

/// <summary>
/// <c>Cloud:AssumeRoleExpiryMargin</c> and <c>Cloud:AssumeRoleRefreshBefore</c>: how early a pool account's role
/// session counts as expired and how early it is renewed in the background, handed to the AWS SDK's refreshing
/// credentials; a margin that is negative or not shorter than the session stops the start-up with a clear message.
/// </summary>
public sealed class AssumeRoleMarginTests
{
    [Fact]
    public void Assume_role_credentials_count_as_expired_the_given_margin_early_and_a_minute_early_by_default()
    {
        using var given = Credentials(new StsSessionOptions { RefreshBefore = TimeSpan.FromSeconds(5), ExpiryMargin = TimeSpan.FromSeconds(10) });
        using var byDefault = Credentials(new StsSessionOptions());

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), (given.ExpirationBuffer, given.PreemptExpiryTime));
        Assert.Equal((StsSessionOptions.DefaultExpiryMargin, new StsSessionOptions().RefreshBefore), (byDefault.ExpirationBuffer, byDefault.PreemptExpiryTime));
        Assert.Equal(TimeSpan.FromMinutes(1), StsSessionOptions.DefaultExpiryMargin);
    }

    [Theory]
    [InlineData("Cloud:AssumeRoleExpiryMargin", "-00:00:01", "Cloud:AssumeRoleExpiryMargin")]
    [InlineData("Cloud:AssumeRoleExpiryMargin", "00:15:00", "Cloud:AssumeRoleExpiryMargin")]
    [InlineData("Cloud:AssumeRoleRefreshBefore", "-00:00:01", "Cloud:AssumeRoleRefreshBefore")]
    public void Cloud_options_are_refused_when_a_session_margin_is_negative_or_not_shorter_than_the_session(string key, string value, string named)
    {
        using var data = new TempDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:DataDirectory"] = data.Path,
            ["Cloud:AssumeRoleDuration"] = "00:15:00",
            [key] = value,
        });
        builder.AddCloud();
        using var services = builder.Services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CloudOptions>>().Value);

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    private static StsAssumeRoleCredentials Credentials(StsSessionOptions session) => new(
        AwsCredentials.Static("AKIDSOURCE", "source-secret"),
        "arn:aws:iam::111111111111:role/LabPortalLearner",
        "lab-portal-7-kim",
        "ap-northeast-2",
        new Uri("http://127.0.0.1:4566/"),
        TimeSpan.FromMinutes(15),
        session);
}
