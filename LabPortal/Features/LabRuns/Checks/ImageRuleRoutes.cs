using Amazon.EC2.Model;
using LabPortal.Features.LabRuns.Engine;

namespace LabPortal.Features.LabRuns.Checks;

/// <summary>
/// GET /images/ through the load balancer is answered by the image server: the body equals what
/// the image server itself serves there, and the load balancer's / is not the image server's page.
/// </summary>
public sealed class ImageRuleRoutes : ILabCheck
{
    public const string ImagePath = "/images/";

    public string Name => nameof(ImageRuleRoutes);

    public async Task<CheckResult> RunAsync(LabActionContext context, CancellationToken cancellationToken)
    {
        if (!context.HasDataPlane)
        {
            return CheckResult.NotApplicable(Name);
        }

        var dns = context.Outputs.LoadBalancerDns;
        var imageId = context.Outputs.ImageInstanceId;
        if (string.IsNullOrEmpty(dns) || imageId is null || context.DataPlaneUrl(dns) is not { } balancer)
        {
            return CheckResult.Fail(Name, "There is no load balancer or image server yet.", "아직 로드 밸런서나 이미지 서버가 없습니다.");
        }

        var described = await context.Cloud.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [imageId] }, cancellationToken);
        var imageDns = (described.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault()?.PublicDnsName;
        if (string.IsNullOrEmpty(imageDns) || context.DataPlaneUrl(imageDns) is not { } server)
        {
            return CheckResult.Fail(Name, $"The image server {imageId} has no public address (is it running?).", $"이미지 서버 {imageId}에 퍼블릭 주소가 없습니다(실행 중인가요?).");
        }

        var direct = await CloudReads.GetPageAsync(new Uri(server, ImagePath), cancellationToken);
        var routed = await CloudReads.GetPageAsync(new Uri(balancer, ImagePath), cancellationToken);
        var root = await CloudReads.GetPageAsync(balancer, cancellationToken);
        if (direct is not { Status: 200 } expected)
        {
            return CheckResult.Fail(Name, $"The image server itself does not answer {ImagePath} with 200.", $"이미지 서버가 {ImagePath}에 200으로 응답하지 않습니다.");
        }

        if (routed is not { Status: 200 } viaBalancer || viaBalancer.Body.Trim() != expected.Body.Trim())
        {
            return CheckResult.Fail(Name,
                $"{ImagePath} through the load balancer answered {routed?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}, not the image server's page. Is the rule's pattern right and the image target healthy?",
                $"로드 밸런서를 거친 {ImagePath} 요청이 이미지 서버의 페이지가 아니라 {routed?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "무응답"}으로 답했습니다. 규칙의 패턴이 맞는지, 이미지 대상이 정상인지 확인하세요.");
        }

        if (root is { } home && home.Body.Trim() == expected.Body.Trim())
        {
            return CheckResult.Fail(Name, "/ is also answered by the image server: the rule catches more than images.", "/ 요청도 이미지 서버가 답합니다. 규칙이 이미지 외의 요청까지 잡고 있습니다.");
        }

        return CheckResult.Pass(Name,
            $"{ImagePath} through the load balancer is answered by the image server, / by the web servers.",
            $"로드 밸런서를 거친 {ImagePath} 요청은 이미지 서버가, / 요청은 웹 서버가 답합니다.");
    }
}
