using Amazon.EC2.Model;
using Amazon.Runtime;
using LabPortal.Aws.AutoScaling;
using LabPortal.Aws.Elbv2;
using LabPortal.Infrastructure.Cloud;
using LabPortal.Infrastructure.Data;

namespace LabPortal.Features.LabRuns.Teardown;

/// <summary>
/// Deletes one resource of a known kind (<see cref="ResourceKinds"/>) with the calls AWS needs for it:
/// a route table's subnet associations and an internet gateway's attachments go first. Used by
/// <see cref="TeardownPass"/> and by the orphan sweeper's one-resource delete, so both delete alike.
/// Errors are AWS's own (<see cref="AmazonServiceException"/>); the caller decides what they mean.
/// </summary>
public static class ResourceDeleter
{
    /// <param name="cloud">The clients of the account and region the resource lives in.</param>
    /// <param name="kind">One of <see cref="ResourceKinds.All"/>.</param>
    /// <param name="id">The id or ARN the ledger keeps (an Auto Scaling group's name).</param>
    /// <param name="trace">Receives each call's AWS request id.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public static async Task DeleteAsync(AwsClients cloud, ResourceKind kind, string id, Action<string?> trace, CancellationToken cancellationToken = default)
    {
        AmazonWebServiceResponse response = kind switch
        {
            ResourceKind.AutoScalingGroup => await cloud.AutoScaling.DeleteAutoScalingGroupAsync(new DeleteAutoScalingGroupRequest { AutoScalingGroupName = id, ForceDelete = true }, cancellationToken),
            ResourceKind.Rule => await cloud.Elbv2.DeleteRuleAsync(new DeleteRuleRequest { RuleArn = id }, cancellationToken),
            ResourceKind.Listener => await cloud.Elbv2.DeleteListenerAsync(new DeleteListenerRequest { ListenerArn = id }, cancellationToken),
            ResourceKind.LoadBalancer => await cloud.Elbv2.DeleteLoadBalancerAsync(new DeleteLoadBalancerRequest { LoadBalancerArn = id }, cancellationToken),
            ResourceKind.TargetGroup => await cloud.Elbv2.DeleteTargetGroupAsync(new DeleteTargetGroupRequest { TargetGroupArn = id }, cancellationToken),
            ResourceKind.Instance => await cloud.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] }, cancellationToken),
            ResourceKind.LaunchTemplate => await cloud.Ec2.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateId = id }, cancellationToken),
            ResourceKind.SecurityGroup => await cloud.Ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = id }, cancellationToken),
            ResourceKind.RouteTable => await DeleteRouteTableAsync(cloud, id, trace, cancellationToken),
            ResourceKind.InternetGateway => await DeleteInternetGatewayAsync(cloud, id, trace, cancellationToken),
            ResourceKind.Subnet => await cloud.Ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = id }, cancellationToken),
            ResourceKind.Vpc => await cloud.Ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = id }, cancellationToken),
            _ => throw new InvalidOperationException($"No delete is known for a resource of kind {kind}."),
        };
        trace(response.ResponseMetadata.RequestId);
    }

    /// <summary>
    /// A route table associated with subnets cannot be deleted (DependencyViolation): its explicit
    /// associations go first. The main association is never removed (AWS refuses it; a VPC's main
    /// table goes with the VPC), and a gone association counts as removed.
    /// </summary>
    private static async Task<AmazonWebServiceResponse> DeleteRouteTableAsync(AwsClients cloud, string tableId, Action<string?> trace, CancellationToken cancellationToken)
    {
        var described = await cloud.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [tableId] }, cancellationToken);
        trace(described.ResponseMetadata.RequestId);
        var associations = (described.RouteTables ?? []).SelectMany(t => t.Associations ?? [])
            .Where(a => a.Main != true && a.RouteTableAssociationId is not null)
            .Select(a => a.RouteTableAssociationId!);
        foreach (var associationId in associations)
        {
            try
            {
                var disassociated = await cloud.Ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = associationId }, cancellationToken);
                trace(disassociated.ResponseMetadata.RequestId);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "InvalidAssociationID.NotFound")
            {
                // Removed meanwhile: what was wanted.
            }
        }

        return await cloud.Ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = tableId }, cancellationToken);
    }

    /// <summary>An attached internet gateway cannot be deleted (DependencyViolation): each attachment is detached first.</summary>
    private static async Task<AmazonWebServiceResponse> DeleteInternetGatewayAsync(AwsClients cloud, string gatewayId, Action<string?> trace, CancellationToken cancellationToken)
    {
        var described = await cloud.Ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { InternetGatewayIds = [gatewayId] }, cancellationToken);
        trace(described.ResponseMetadata.RequestId);
        var vpcs = (described.InternetGateways ?? []).SelectMany(g => g.Attachments ?? []).Where(a => a.VpcId is not null).Select(a => a.VpcId!);
        foreach (var vpcId in vpcs)
        {
            try
            {
                var detached = await cloud.Ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = gatewayId, VpcId = vpcId }, cancellationToken);
                trace(detached.ResponseMetadata.RequestId);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "Gateway.NotAttached")
            {
                // Detached meanwhile: what was wanted.
            }
        }

        return await cloud.Ec2.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = gatewayId }, cancellationToken);
    }
}
