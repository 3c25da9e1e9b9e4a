using LabPortal.Features.Labs.Definitions;

namespace LabPortal.Tests.Portal.Labs;

public sealed class ParameterRulesTests
{
    [Theory]
    [InlineData("web-tg")]
    [InlineData("A1")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")] // 32
    public void Name_is_accepted_when_it_follows_ELB_rules(string value) =>
        Assert.Null(ParameterRules.Check(Parameter(ParameterType.Name), value));

    [Theory]
    [InlineData("", "Enter a value.")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "at most 32")] // 33
    [InlineData("web_tg", "letters, digits and hyphens")]
    [InlineData("웹서버", "letters, digits and hyphens")]
    [InlineData("-web", "start or end with a hyphen")]
    [InlineData("web-", "start or end with a hyphen")]
    [InlineData("internal-web", "internal-")]
    public void Name_is_refused_with_the_reason(string value, string reason) =>
        Assert.Contains(reason, ParameterRules.Check(Parameter(ParameterType.Name), value)!.En, StringComparison.Ordinal);

    [Theory]
    [InlineData("default", "InvalidGroup.Reserved")]
    [InlineData("Default", "InvalidGroup.Reserved")]
    [InlineData("sg-web", "cannot start with \"sg-\"")]
    [InlineData("web_sg", "letters, digits and hyphens")]
    public void Security_group_name_is_refused_by_AWS_rule_for_reserved_names(string value, string reason) =>
        Assert.Contains(reason, ParameterRules.Check(Parameter(ParameterType.SecurityGroupName, maxLength: 255), value)!.En, StringComparison.Ordinal);

    [Theory]
    [InlineData("web-sg")]
    [InlineData("default-web")]
    [InlineData("my-sg-1")]
    public void Security_group_name_is_accepted_when_not_reserved(string value) =>
        Assert.Null(ParameterRules.Check(Parameter(ParameterType.SecurityGroupName, maxLength: 255), value));

    [Theory]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("203.0.113.7/32", true)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("256.1.1.1/32", false)]
    [InlineData("10.0.0/24", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::/0", false)]
    public void Cidr_must_be_an_IPv4_range(string value, bool valid) =>
        Assert.Equal(valid, ParameterRules.Check(Parameter(ParameterType.Cidr), value) is null);

    [Theory]
    [InlineData("80", true)]
    [InlineData("1", true)]
    [InlineData("65535", true)]
    [InlineData("0", false)]
    [InlineData("65536", false)]
    [InlineData("-1", false)]
    [InlineData("eighty", false)]
    public void Port_must_be_1_to_65535(string value, bool valid) =>
        Assert.Equal(valid, ParameterRules.Check(Parameter(ParameterType.Port), value) is null);

    [Fact]
    public void Count_respects_min_and_max()
    {
        var parameter = Parameter(ParameterType.Count);
        parameter.Min = 1;
        parameter.Max = 4;
        Assert.Null(ParameterRules.Check(parameter, "3"));
        Assert.NotNull(ParameterRules.Check(parameter, "5"));
        Assert.NotNull(ParameterRules.Check(parameter, "0"));
    }

    [Fact]
    public void Choice_must_be_one_of_the_choices()
    {
        var parameter = Parameter(ParameterType.InstanceType);
        parameter.Choices = [new ParameterChoice { Value = "t2.micro" }, new ParameterChoice { Value = "t3.micro" }];
        Assert.Null(ParameterRules.Check(parameter, "t3.micro"));
        Assert.NotNull(ParameterRules.Check(parameter, "p5.48xlarge"));
    }

    [Fact]
    public void Violation_is_told_in_Korean_for_a_Korean_user()
    {
        var violation = ParameterRules.Check(Parameter(ParameterType.Name), "bad name!")!;
        Assert.Equal("영문자, 숫자, 하이픈(-)만 쓸 수 있습니다.", violation.Ko);
    }

    private static ParameterDefinition Parameter(ParameterType type, int? maxLength = null) => new() { Name = "value", Type = type, MaxLength = maxLength };
}
