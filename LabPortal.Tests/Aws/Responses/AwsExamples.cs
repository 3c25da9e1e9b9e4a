namespace LabPortal.Tests.Aws.Responses;

/// <summary>
/// Example responses from the AWS API references (EC2 DescribeInstances/RunInstances/CreateSecurityGroup
/// and the error example; ELB CreateTargetGroup/DescribeTargetHealth; Auto Scaling
/// DescribeAutoScalingGroups/CreateAutoScalingGroup; SSM GetParameter), reproduced in our own formatting.
/// </summary>
internal static class AwsExamples
{
    public const string Ec2DescribeInstances = """
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
          <reservationSet>
            <item>
              <reservationId>r-1234567890abcdef0</reservationId>
              <ownerId>123456789012</ownerId>
              <groupSet/>
              <instancesSet>
                <item>
                  <instanceId>i-1234567890abcdef0</instanceId>
                  <imageId>ami-bff32ccc</imageId>
                  <instanceState><code>16</code><name>running</name></instanceState>
                  <privateDnsName>ip-192-168-1-88.eu-west-1.compute.internal</privateDnsName>
                  <dnsName>ec2-54-194-252-215.eu-west-1.compute.amazonaws.com</dnsName>
                  <reason/>
                  <keyName>my_keypair</keyName>
                  <amiLaunchIndex>0</amiLaunchIndex>
                  <productCodes/>
                  <instanceType>t2.micro</instanceType>
                  <launchTime>2018-05-08T16:46:19.000Z</launchTime>
                  <placement>
                    <availabilityZone>eu-west-1c</availabilityZone>
                    <groupName/>
                    <tenancy>default</tenancy>
                  </placement>
                  <monitoring><state>disabled</state></monitoring>
                  <subnetId>subnet-56f5f633</subnetId>
                  <vpcId>vpc-11112222</vpcId>
                  <privateIpAddress>192.168.1.88</privateIpAddress>
                  <ipAddress>54.194.252.215</ipAddress>
                  <sourceDestCheck>true</sourceDestCheck>
                  <groupSet>
                    <item><groupId>sg-e4076980</groupId><groupName>SecurityGroup1</groupName></item>
                  </groupSet>
                  <architecture>x86_64</architecture>
                  <rootDeviceType>ebs</rootDeviceType>
                  <rootDeviceName>/dev/xvda</rootDeviceName>
                  <virtualizationType>hvm</virtualizationType>
                  <tagSet>
                    <item><key>Name</key><value>Server_1</value></item>
                  </tagSet>
                  <hypervisor>xen</hypervisor>
                  <ebsOptimized>false</ebsOptimized>
                </item>
              </instancesSet>
            </item>
          </reservationSet>
        </DescribeInstancesResponse>
        """;

    public const string Ec2RunInstances = """
        <RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <reservationId>r-1234567890abcdef0</reservationId>
          <ownerId>123456789012</ownerId>
          <groupSet/>
          <instancesSet>
            <item>
              <instanceId>i-1234567890abcdef0</instanceId>
              <imageId>ami-31814f58</imageId>
              <instanceState><code>0</code><name>pending</name></instanceState>
              <privateDnsName/>
              <dnsName/>
              <amiLaunchIndex>0</amiLaunchIndex>
              <instanceType>t2.micro</instanceType>
              <launchTime>2015-12-22T10:44:05.000Z</launchTime>
              <placement><availabilityZone>us-east-1d</availabilityZone><tenancy>default</tenancy></placement>
              <subnetId>subnet-56f5f633</subnetId>
              <vpcId>vpc-11112222</vpcId>
            </item>
          </instancesSet>
        </RunInstancesResponse>
        """;

    public const string Ec2CreateSecurityGroup = """
        <CreateSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <return>true</return>
          <groupId>sg-1a2b3c4d</groupId>
        </CreateSecurityGroupResponse>
        """;

    public const string Ec2Error = """
        <Response>
          <Errors>
            <Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1a2b3c4d' does not exist</Message></Error>
          </Errors>
          <RequestID>ea966190-f9aa-478e-9ede-example</RequestID>
        </Response>
        """;

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

    public const string SsmGetParameter = """
        {"Parameter":{"ARN":"arn:aws:ssm:us-east-2:111122223333:parameter/MyGetParameterAPI","DataType":"text","LastModifiedDate":1.582657288787E9,"Name":"MyGetParameterAPI","Type":"String","Value":"This is a test","Version":1}}
        """;

    public static string Ec2Page(string instanceId, string? nextToken) => $"""
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>page-{instanceId}</requestId>
          <reservationSet><item><reservationId>r-{instanceId}</reservationId><instancesSet><item><instanceId>{instanceId}</instanceId></item></instancesSet></item></reservationSet>
          {(nextToken is null ? string.Empty : $"<nextToken>{nextToken}</nextToken>")}
        </DescribeInstancesResponse>
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
