"""The seed labs' traffic and health story with boto3 against a running sandbox (issue 3 acceptance).

Usage: python3 self_healing.py ENDPOINT DATA_PLANE_URL ACCESS_KEY SECRET_KEY
Prints one line per finding, "OK <what>" or "FAIL <what>"; exits 1 on the first failure.
"""
import base64
import collections
import sys
import time
import urllib.request

import boto3

endpoint, data_plane, key, secret = sys.argv[1:5]
session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="ap-northeast-2")
ec2, elb, asg, ssm = (session.client(s, endpoint_url=endpoint) for s in ("ec2", "elbv2", "autoscaling", "ssm"))


def check(ok, what):
    print(("OK " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


def wait(probe, what, limit=60):
    deadline = time.time() + limit
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    check(False, "timed out waiting for " + what)


def get(host):
    """One request through the data plane with the given Host header: (status, body)."""
    request = urllib.request.Request(data_plane, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "availability-zone", "Values": [az]}])["Subnets"][0]["SubnetId"]
           for az in ("ap-northeast-2a", "ap-northeast-2c")]
sg = ec2.create_security_group(GroupName="asg-web-sg", Description="web", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="0.0.0.0/0")
ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
user_data = """#!/bin/bash
dnf install -y nginx
systemctl enable --now nginx
TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
ID=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)
echo "<h1>$ID</h1>" > /usr/share/nginx/html/index.html
"""
ec2.create_launch_template(LaunchTemplateName="web-lt", LaunchTemplateData={
    "ImageId": ami, "InstanceType": "t2.micro", "SecurityGroupIds": [sg], "IamInstanceProfile": {"Name": "lab-ssm"},
    "UserData": base64.b64encode(user_data.encode()).decode()})
tg = elb.create_target_group(Name="asg-tg", Protocol="HTTP", Port=80, VpcId=vpc, HealthCheckPath="/",
                             HealthCheckIntervalSeconds=10, HealthyThresholdCount=2, UnhealthyThresholdCount=2)["TargetGroups"][0]["TargetGroupArn"]
lb = elb.create_load_balancer(Name="asg-alb", Subnets=subnets, SecurityGroups=[sg])["LoadBalancers"][0]
elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
host = lb["DNSName"]

# Nothing registered yet: the load balancer answers 503.
wait(lambda: elb.describe_load_balancers(LoadBalancerArns=[lb["LoadBalancerArn"]])["LoadBalancers"][0]["State"]["Code"] == "active", "active load balancer")
status, _ = get(host)
check(status == 503, f"no registered target gives 503 (got {status})")

asg.create_auto_scaling_group(AutoScalingGroupName="web-asg", LaunchTemplate={"LaunchTemplateName": "web-lt"},
                              MinSize=2, MaxSize=4, DesiredCapacity=2, VPCZoneIdentifier=",".join(subnets),
                              TargetGroupARNs=[tg], HealthCheckType="EC2")


def healthy_targets():
    described = elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    return sorted(t["Target"]["Id"] for t in described if t["TargetHealth"]["State"] == "healthy")


pair = wait(lambda: (lambda h: h if len(h) == 2 else None)(healthy_targets()), "two healthy targets")
zones = {i["AvailabilityZone"] for i in asg.describe_auto_scaling_instances()["AutoScalingInstances"]}
check(zones == {"ap-northeast-2a", "ap-northeast-2c"}, f"the group spreads across both zones ({sorted(zones)})")

counts = collections.Counter(get(host)[1].strip() for _ in range(100))
split = {page: counts[page] for page in counts}
check(len(split) == 2 and all(40 <= n <= 60 for n in split.values()), f"100 requests split 50+-10 over two servers {split}")

# Desired 2 -> 3: the third instance is registered in the attached target group.
asg.set_desired_capacity(AutoScalingGroupName="web-asg", DesiredCapacity=3)
trio = wait(lambda: (lambda h: h if len(h) == 3 else None)(healthy_targets()), "three healthy targets")
check(set(pair) < set(trio), "desired 2 -> 3 registers and heals the third instance")
asg.set_desired_capacity(AutoScalingGroupName="web-asg", DesiredCapacity=2)
pair = wait(lambda: (lambda h: h if len(h) == 2 else None)(healthy_targets()), "back to two targets")

# The fault, as in Lab 2: systemctl stop nginx through SSM on one instance, health checks type EC2.
victim, survivor = pair


def stop_web_server(instance):
    command = ssm.send_command(InstanceIds=[instance], DocumentName="AWS-RunShellScript", Parameters={"commands": ["systemctl stop nginx"]})["Command"]["CommandId"]
    wait(lambda: ssm.get_command_invocation(CommandId=command, InstanceId=instance)["Status"] == "Success", "the SSM command")


def health_of(instance):
    for t in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]:
        if t["Target"]["Id"] == instance:
            return t["TargetHealth"]
    return None


def terminations(instance):
    return [a for a in asg.describe_scaling_activities(AutoScalingGroupName="web-asg")["Activities"]
            if instance in a["Description"] and a["Description"].startswith("Terminating")]


stop_web_server(victim)
health = wait(lambda: (lambda h: h if h and h["State"] == "unhealthy" else None)(health_of(victim)), "the stopped server to be unhealthy")
check(health.get("Reason") == "Target.FailedHealthChecks", f"unhealthy with AWS's reason ({health})")
pages = {get(host)[1].strip() for _ in range(20)}
check(pages == {f"<h1>{survivor}</h1>"}, f"all traffic goes to the other server ({pages})")

# With EC2 health checks the group still thinks the instance is fine (the seed's "think about it").
time.sleep(3)
check(not terminations(victim) and health_of(victim)["State"] == "unhealthy", "with EC2 health checks the instance is kept")

# Turning on ELB health checks: the attachment goes InService once an instance passes ELB checks
# (the survivor), then after the grace period the group replaces the stopped one and says why. (AWS
# acts on ELB health only for InService attachments: DescribeLoadBalancerTargetGroups, State.)
asg.update_auto_scaling_group(AutoScalingGroupName="web-asg", HealthCheckType="ELB", HealthCheckGracePeriod=30)
activity = wait(lambda: next(iter(terminations(victim)), None), "the replacement activity")
check("ELB" in activity["Cause"] and "health check" in activity["Cause"], f"the activity says why: {activity['Cause']}")
healed = wait(lambda: (lambda h: h if len(h) == 2 and victim not in h else None)(healthy_targets()), "a healthy replacement")
check(survivor in healed, f"the replacement is registered and healthy ({healed})")
pages = {get(host)[1].strip() for _ in range(40)}
check(pages == {f"<h1>{i}</h1>" for i in healed}, f"traffic reaches the replacement and the survivor ({pages})")

# Both web servers stopped (EC2 health checks again, so nothing is replaced): fail-open to targets
# that refuse connections gives 502.
asg.update_auto_scaling_group(AutoScalingGroupName="web-asg", HealthCheckType="EC2")
for instance in healed:
    stop_web_server(instance)
wait(lambda: all((health_of(i) or {}).get("State") == "unhealthy" for i in healed), "both servers to be unhealthy")
status, _ = get(host)
check(status == 502, f"both servers stopped gives 502 (got {status})")
print("DONE", flush=True)
