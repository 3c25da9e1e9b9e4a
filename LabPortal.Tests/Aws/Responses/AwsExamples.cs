namespace LabPortal.Tests.Aws.Responses;

/// <summary>
/// Example responses from the AWS API references (EC2 DescribeInstances/RunInstances/CreateSecurityGroup
/// and the error example; ELB CreateTargetGroup/DescribeTargetHealth; Auto Scaling
/// DescribeAutoScalingGroups/CreateAutoScalingGroup; SSM GetParameter), reproduced in our own formatting.
/// </summary>
internal static class AwsExamples
{
    public const string ElbCreateTargetGroup = """
        <CreateTargetGroupResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <CreateTargetGroupResult>
            <TargetGroups>
              <member>
                <TargetGroupArn>arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067</TargetGroupArn>
                <HealthCheckTimeoutSeconds>5</HealthCheckTimeoutSeconds>
                <HealthCheckPort>traffic-port</HealthCheckPort>
                <Matcher><HttpCode>200</HttpCode></Matcher>
                <TargetGroupName>my-targets</TargetGroupName>
                <HealthCheckProtocol>HTTP</HealthCheckProtocol>
                <HealthCheckPath>/</HealthCheckPath>
                <Protocol>HTTP</Protocol>
                <Port>80</Port>
                <VpcId>vpc-3ac0fb5f</VpcId>
                <HealthyThresholdCount>5</HealthyThresholdCount>
                <HealthCheckIntervalSeconds>30</HealthCheckIntervalSeconds>
                <UnhealthyThresholdCount>2</UnhealthyThresholdCount>
              </member>
            </TargetGroups>
          </CreateTargetGroupResult>
          <ResponseMetadata><RequestId>b83fe90e-f2d5-11e5-b95d-3b2c1831fc26</RequestId></ResponseMetadata>
        </CreateTargetGroupResponse>
        """;

    public const string ElbDescribeTargetHealth = """
        <DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeTargetHealthResult>
            <TargetHealthDescriptions>
              <member>
                <HealthCheckPort>80</HealthCheckPort>
                <TargetHealth><State>healthy</State></TargetHealth>
                <Target><Port>80</Port><Id>i-0376fadf</Id></Target>
              </member>
              <member>
                <HealthCheckPort>80</HealthCheckPort>
                <TargetHealth>
                  <State>unhealthy</State>
                  <Reason>Target.ResponseCodeMismatch</Reason>
                  <Description>Health checks failed with these codes: [404]</Description>
                </TargetHealth>
                <Target><Port>80</Port><Id>i-0f76fade</Id></Target>
              </member>
            </TargetHealthDescriptions>
          </DescribeTargetHealthResult>
          <ResponseMetadata><RequestId>c534f810-f389-11e5-9192-3fff33344cfa</RequestId></ResponseMetadata>
        </DescribeTargetHealthResponse>
        """;

    public const string ElbDeleteTargetGroup = """
        <DeleteTargetGroupResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DeleteTargetGroupResult/>
          <ResponseMetadata><RequestId>4bd2d8f2-f2d8-11e5-a5d9-6d8c9f4a1b2c</RequestId></ResponseMetadata>
        </DeleteTargetGroupResponse>
        """;

    public const string ElbTargetGroupNotFound = """
        <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>One or more target groups not found</Message></Error>
          <RequestId>2b0bd3b0-0e39-11e6-a8d3-2d7d1e1e2c0b</RequestId>
        </ErrorResponse>
        """;

    public const string AsgDescribeAutoScalingGroups = """
        <DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
          <DescribeAutoScalingGroupsResult>
            <AutoScalingGroups>
              <member>
                <AutoScalingGroupName>my-asg</AutoScalingGroupName>
                <AutoScalingGroupARN>arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:930d940e-891e-4781-a11a-7b0acd480f03:autoScalingGroupName/my-asg</AutoScalingGroupARN>
                <LaunchTemplate><LaunchTemplateName>my-launch-template</LaunchTemplateName><Version>1</Version><LaunchTemplateId>lt-1234567890abcde12</LaunchTemplateId></LaunchTemplate>
                <MinSize>0</MinSize>
                <MaxSize>1</MaxSize>
                <DesiredCapacity>1</DesiredCapacity>
                <DefaultCooldown>300</DefaultCooldown>
                <AvailabilityZones><member>us-west-2a</member><member>us-west-2b</member></AvailabilityZones>
                <LoadBalancerNames/>
                <TargetGroupARNs><member>arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067</member></TargetGroupARNs>
                <HealthCheckType>ELB</HealthCheckType>
                <HealthCheckGracePeriod>300</HealthCheckGracePeriod>
                <Instances>
                  <member>
                    <InstanceId>i-06905f55584de02da</InstanceId>
                    <InstanceType>t2.micro</InstanceType>
                    <AvailabilityZone>us-west-2a</AvailabilityZone>
                    <HealthStatus>Healthy</HealthStatus>
                    <LifecycleState>InService</LifecycleState>
                    <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
                    <LaunchTemplate><LaunchTemplateName>my-launch-template</LaunchTemplateName><Version>1</Version><LaunchTemplateId>lt-1234567890abcde12</LaunchTemplateId></LaunchTemplate>
                  </member>
                </Instances>
                <CreatedTime>2023-10-28T02:39:22.152Z</CreatedTime>
                <VPCZoneIdentifier>subnet-5ea0c127,subnet-6194ea3b</VPCZoneIdentifier>
                <TerminationPolicies><member>Default</member></TerminationPolicies>
              </member>
            </AutoScalingGroups>
          </DescribeAutoScalingGroupsResult>
          <ResponseMetadata><RequestId>0f02a07d-b677-11e2-9eb0-dd50EXAMPLE</RequestId></ResponseMetadata>
        </DescribeAutoScalingGroupsResponse>
        """;

    public const string AsgCreateAutoScalingGroup = """
        <CreateAutoScalingGroupResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
          <ResponseMetadata><RequestId>8d798a29-f083-11e1-bdfb-cb223EXAMPLE</RequestId></ResponseMetadata>
        </CreateAutoScalingGroupResponse>
        """;

    public static string ElbTargetGroupsPage(string name, string? nextMarker) => $"""
        <DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
          <DescribeTargetGroupsResult>
            <TargetGroups><member><TargetGroupName>{name}</TargetGroupName></member></TargetGroups>
            {(nextMarker is null ? string.Empty : $"<NextMarker>{nextMarker}</NextMarker>")}
          </DescribeTargetGroupsResult>
          <ResponseMetadata><RequestId>page-{name}</RequestId></ResponseMetadata>
        </DescribeTargetGroupsResponse>
        """;
}
