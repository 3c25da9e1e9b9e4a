using System.Globalization;
using System.Net;
using LabPortal.Aws.Errors;

namespace LabPortal.Tests.Aws.Errors;

public sealed class AwsErrorCatalogueTests
{
    [Theory]
    [InlineData("InvalidGroup.Duplicate")]
    [InlineData("InvalidGroup.NotFound")]
    [InlineData("InvalidInstanceID.NotFound")]
    [InlineData("DependencyViolation")]
    [InlineData("ValidationError")]
    [InlineData("DuplicateTargetGroupName")]
    [InlineData("TargetGroupNotFound")]
    [InlineData("LoadBalancerNotFound")]
    [InlineData("PriorityInUse")]
    [InlineData("ResourceInUse")]
    [InlineData("AlreadyExists")]
    [InlineData("ScalingActivityInProgress")]
    [InlineData("ParameterNotFound")]
    [InlineData("RequestLimitExceeded")]
    [InlineData("Throttling")]
    [InlineData("UnauthorizedOperation")]
    public void Catalogue_explains_code_when_student_meets_it_in_a_lab(string code)
    {
        Assert.True(AwsErrorCatalogue.TryGet(code, out var explanation));
        Assert.Equal(code, explanation.Code);
    }

    [Fact]
    public void Every_entry_has_both_languages_and_a_next_step_when_listed()
    {
        Assert.True(AwsErrorCatalogue.Codes.Count >= 50);
        foreach (var code in AwsErrorCatalogue.Codes)
        {
            var e = AwsErrorCatalogue.Explain(code);
            Assert.False(string.IsNullOrWhiteSpace(e.English), code);
            Assert.False(string.IsNullOrWhiteSpace(e.EnglishNextStep), code);
            Assert.Contains(e.Korean, c => c is >= '\uAC00' and <= '\uD7A3');
            Assert.Contains(e.KoreanNextStep, c => c is >= '\uAC00' and <= '\uD7A3');
        }
    }

    [Fact]
    public void Explain_picks_language_from_culture_when_asked_in_korean_or_english()
    {
        var e = AwsErrorCatalogue.Explain(new LabPortal.Aws.Elbv2.TargetGroupNotFoundException("TargetGroupNotFound", "x", "r", HttpStatusCode.BadRequest));

        Assert.Equal(e.Korean, e.Message(CultureInfo.GetCultureInfo("ko-KR")));
        Assert.Equal(e.KoreanNextStep, e.NextStep(CultureInfo.GetCultureInfo("ko")));
        Assert.Equal(e.English, e.Message(CultureInfo.GetCultureInfo("en-US")));
    }

    [Fact]
    public void Explain_names_the_code_when_code_is_unknown()
    {
        var e = AwsErrorCatalogue.Explain("SomethingNew.Unheard");

        Assert.Contains("SomethingNew.Unheard", e.English, StringComparison.Ordinal);
        Assert.Contains("SomethingNew.Unheard", e.Korean, StringComparison.Ordinal);
    }
}
