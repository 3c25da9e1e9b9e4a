"""The seed-lab scenario for the differential test (issue 3).

Usage: python3 scenario.py ENDPOINT ACCESS_KEY SECRET_KEY REGION

Runs the same boto3 calls against any AWS-compatible endpoint and prints, for every call, one
JSON line: {"call": "service.operation", "keys": [sorted response key paths], "empty": [paths of
empty lists], "error": code or null}. ResponseMetadata is dropped. Values are never compared,
only the shape of each response, so the output of two servers can be diffed call by call.
"""
import json
import sys
import time

import boto3
from botocore.exceptions import ClientError

endpoint, key, secret, region = sys.argv[1:5]
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=key, aws_secret_access_key=secret)
ec2 = boto3.client("ec2", **kw)
elb = boto3.client("elbv2", **kw)
asg = boto3.client("autoscaling", **kw)
ssm = boto3.client("ssm", **kw)


def paths(value, prefix, keys, empty):
    if isinstance(value, dict):
        for name, child in value.items():
            if prefix == "" and name == "ResponseMetadata":
                continue
            path = name if prefix == "" else prefix + "." + name
            keys.add(path)
            paths(child, path, keys, empty)
    elif isinstance(value, list):
        if not value:
            empty.add(prefix)
        for item in value:
            paths(item, prefix + "[]", keys, empty)


def call(name, fn, **args):
    """Calls fn(**args), prints the call's key paths and returns the response (None on error)."""
    keys, empty = set(), set()
    try:
        response = fn(**args)
        error = None
    except ClientError as e:
        response, error = None, e.response["Error"]["Code"]
    if response is not None:
        paths(response, "", keys, empty)
    print(json.dumps({"call": name, "keys": sorted(keys), "empty": sorted(empty), "error": error}), flush=True)
    return response


def until(what, check, timeout=30):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            sys.exit("timed out waiting for " + what)
        time.sleep(0.1)


# --- EC2 ---------------------------------------------------------------------------------------
vpc = call("ec2.describe_vpcs", ec2.describe_vpcs, Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = call("ec2.describe_subnets", ec2.describe_subnets, Filters=[
    {"Name": "vpc-id", "Values": [vpc]}, {"Name": "default-for-az", "Values": ["true"]},
    {"Name": "availability-zone", "Values": [region + "a", region + "c"]}])["Subnets"]
by_zone = {s["AvailabilityZone"]: s["SubnetId"] for s in subnets}
pair = [by_zone[region + "a"], by_zone[region + "c"]]
images = call("ec2.describe_images", ec2.describe_images, Owners=["amazon"],
              Filters=[{"Name": "name", "Values": ["al2023-ami-2023*-x86_64"]}])["Images"]
image = sorted(images, key=lambda i: i["ImageId"])[0]["ImageId"]
sg = call("ec2.create_security_group", ec2.create_security_group, GroupName="diff-web",
          Description="differential web", VpcId=vpc)["GroupId"]
call("ec2.authorize_security_group_ingress", ec2.authorize_security_group_ingress, GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
run = call("ec2.run_instances", ec2.run_instances, ImageId=image, InstanceType="t3.micro", MinCount=2, MaxCount=2,
           SecurityGroupIds=[sg], SubnetId=pair[0],
           UserData="#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\n",
           TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "diff-web"}]}])
ids = [i["InstanceId"] for i in run["Instances"]]


def running():
    found = ec2.describe_instances(InstanceIds=ids)
    states = [i["State"]["Name"] for r in found["Reservations"] for i in r["Instances"]]
    return states == ["running"] * len(ids)


until("instances running", running)
call("ec2.describe_instances", ec2.describe_instances, InstanceIds=ids)
call("ec2.create_tags", ec2.create_tags, Resources=ids, Tags=[{"Key": "env", "Value": "diff"}])
call("ec2.describe_tags", ec2.describe_tags, Filters=[{"Name": "key", "Values": ["env"]}])

# --- ELBv2 -------------------------------------------------------------------------------------
tg = call("elbv2.create_target_group", elb.create_target_group, Name="diff-tg", Protocol="HTTP", Port=80,
          VpcId=vpc, HealthCheckPath="/")["TargetGroups"][0]["TargetGroupArn"]
call("elbv2.register_targets", elb.register_targets, TargetGroupArn=tg, Targets=[{"Id": i, "Port": 80} for i in ids])
call("elbv2.describe_target_health", elb.describe_target_health, TargetGroupArn=tg)
lb = call("elbv2.create_load_balancer", elb.create_load_balancer, Name="diff-alb", Subnets=pair,
          SecurityGroups=[sg], Scheme="internet-facing", Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
call("elbv2.describe_load_balancers", elb.describe_load_balancers, LoadBalancerArns=[lb])
listener = call("elbv2.create_listener", elb.create_listener, LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
call("elbv2.describe_listeners", elb.describe_listeners, LoadBalancerArn=lb)
rule = call("elbv2.create_rule", elb.create_rule, ListenerArn=listener, Priority=10,
            Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
            Actions=[{"Type": "forward", "TargetGroupArn": tg}])["Rules"][0]["RuleArn"]
call("elbv2.describe_rules", elb.describe_rules, ListenerArn=listener)
call("elbv2.describe_target_groups", elb.describe_target_groups, TargetGroupArns=[tg])
call("elbv2.add_tags", elb.add_tags, ResourceArns=[lb, tg], Tags=[{"Key": "env", "Value": "diff"}])
call("elbv2.describe_tags", elb.describe_tags, ResourceArns=[lb, tg])

# --- Auto Scaling --------------------------------------------------------------------------------
lt = call("ec2.create_launch_template", ec2.create_launch_template, LaunchTemplateName="diff-lt", LaunchTemplateData={
    "ImageId": image, "InstanceType": "t3.micro", "SecurityGroupIds": [sg],
    "UserData": "IyEvYmluL2Jhc2gKZG5mIGluc3RhbGwgLXkgbmdpbngKc3lzdGVtY3RsIGVuYWJsZSAtLW5vdyBuZ2lueAo="})["LaunchTemplate"]
call("autoscaling.create_auto_scaling_group", asg.create_auto_scaling_group, AutoScalingGroupName="diff-asg",
     MinSize=1, MaxSize=3, DesiredCapacity=2, VPCZoneIdentifier=",".join(pair),
     LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "$Latest"},
     HealthCheckType="EC2", HealthCheckGracePeriod=300,
     Tags=[{"Key": "Name", "Value": "diff-asg", "PropagateAtLaunch": True}])


def group_instances(count):
    group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["diff-asg"])["AutoScalingGroups"][0]
    live = [i for i in group["Instances"] if i["LifecycleState"] == "InService"]
    return len(live) == count and len(group["Instances"]) == count


until("2 group instances", lambda: group_instances(2))
group = call("autoscaling.describe_auto_scaling_groups", asg.describe_auto_scaling_groups,
             AutoScalingGroupNames=["diff-asg"])["AutoScalingGroups"][0]
call("autoscaling.attach_load_balancer_target_groups", asg.attach_load_balancer_target_groups,
     AutoScalingGroupName="diff-asg", TargetGroupARNs=[tg])
call("autoscaling.describe_load_balancer_target_groups", asg.describe_load_balancer_target_groups,
     AutoScalingGroupName="diff-asg")
call("autoscaling.set_desired_capacity", asg.set_desired_capacity, AutoScalingGroupName="diff-asg", DesiredCapacity=1)
until("1 group instance", lambda: group_instances(1))
call("autoscaling.describe_scaling_activities", asg.describe_scaling_activities, AutoScalingGroupName="diff-asg")
call("autoscaling.describe_auto_scaling_instances", asg.describe_auto_scaling_instances,
     InstanceIds=[i["InstanceId"] for i in group["Instances"]])

# --- SSM -----------------------------------------------------------------------------------------
call("ssm.get_parameter", ssm.get_parameter, Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")

# --- Teardown ------------------------------------------------------------------------------------
call("autoscaling.delete_auto_scaling_group", asg.delete_auto_scaling_group, AutoScalingGroupName="diff-asg", ForceDelete=True)
until("the group to go", lambda: not asg.describe_auto_scaling_groups(AutoScalingGroupNames=["diff-asg"])["AutoScalingGroups"])
call("ec2.delete_launch_template", ec2.delete_launch_template, LaunchTemplateId=lt["LaunchTemplateId"])
call("elbv2.delete_rule", elb.delete_rule, RuleArn=rule)
call("elbv2.delete_listener", elb.delete_listener, ListenerArn=listener)
call("elbv2.delete_load_balancer", elb.delete_load_balancer, LoadBalancerArn=lb)
call("elbv2.deregister_targets", elb.deregister_targets, TargetGroupArn=tg, Targets=[{"Id": i, "Port": 80} for i in ids])
call("elbv2.delete_target_group", elb.delete_target_group, TargetGroupArn=tg)
call("ec2.terminate_instances", ec2.terminate_instances, InstanceIds=ids)
until("instances terminated", lambda: all(
    i["State"]["Name"] == "terminated"
    for r in ec2.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]))
call("ec2.delete_security_group", ec2.delete_security_group, GroupId=sg)
print(json.dumps({"done": True}), flush=True)
