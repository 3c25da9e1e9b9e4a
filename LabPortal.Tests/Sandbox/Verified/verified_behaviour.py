"""AWS-verified behaviours (issue 19) checked through boto3 against any AWS-compatible endpoint.

Every check states what real AWS answered when the behaviour was recorded. The script runs each
check on its own and prints one line per check: "OK <name>" when the endpoint behaves as AWS did,
"DIFF <name> <what happened>" when it does not. It never stops early, so the same script lists the
differences of another emulator (moto). Exit code 0 unless the script itself broke.

Usage: python3 verified_behaviour.py ENDPOINT ACCESS_KEY SECRET_KEY REGION
"""
import sys
import time
import traceback
import uuid

import boto3
from botocore.exceptions import ClientError

endpoint, key, secret, region = sys.argv[1:5]
session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=region)
ec2, elb, asg, ssm = (session.client(s, endpoint_url=endpoint) for s in ("ec2", "elbv2", "autoscaling", "ssm"))


class Diff(Exception):
    pass


def expect(ok, what):
    if not ok:
        raise Diff(what)


def error_of(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"].get("Message", "")
    return None, None


def wait(probe, what, limit=60):
    deadline = time.time() + limit
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.25)
    raise Diff("timed out waiting for " + what)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = {s["AvailabilityZone"]: s for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]}
subnet_a, subnet_c = subnets[region + "a"], subnets[region + "c"]
ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]


# Run Command reaches only instances with an instance profile allowing SSM (as on AWS, where these
# behaviours were recorded with one). moto checks the profile exists in its IAM; the sandbox has no IAM
# and accepts any name, so the profile is created only where IAM answers.
PROFILE = "vb-ssm"
try:
    session.client("iam", endpoint_url=endpoint).create_instance_profile(InstanceProfileName=PROFILE)
except ClientError:
    pass


def run(**extra):
    arguments = {"ImageId": ami, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1, **extra}
    return ec2.run_instances(**arguments)["Instances"][0]["InstanceId"]


def instance(instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]


def running(instance_id):
    wait(lambda: instance(instance_id)["State"]["Name"] == "running", instance_id + " running")


def template(**data):
    name = unique("vb-lt")
    created = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData={"ImageId": ami, "InstanceType": "t3.micro", **data})
    return name, created


def group(name, **extra):
    arguments = {"AutoScalingGroupName": name, "MinSize": 0, "MaxSize": 1, "VPCZoneIdentifier": subnet_a["SubnetId"], **extra}
    asg.create_auto_scaling_group(**arguments)


def described_group(name):
    return asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def tags_of(instance_id):
    return {t["Key"]: t["Value"] for t in instance(instance_id).get("Tags", [])}


# ---------------------------------------------------------------- target health

def target_health_unknown_id():
    tg = elb.create_target_group(Name=unique("vb-tg"), Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    rows = elb.describe_target_health(TargetGroupArn=tg, Targets=[{"Id": "i-0123456789abcdef0"}])["TargetHealthDescriptions"]
    expect(len(rows) == 1 and rows[0]["TargetHealth"]["State"] == "unused" and rows[0]["TargetHealth"].get("Reason") == "Target.NotRegistered"
           and rows[0]["Target"].get("Port") == 80, f"got {rows}")


def target_health_terminated():
    tg = elb.create_target_group(Name=unique("vb-tg"), Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    elb.modify_target_group_attributes(TargetGroupArn=tg, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "3000"}])
    target = run(SubnetId=subnet_a["SubnetId"])
    running(target)
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": target}])
    ec2.terminate_instances(InstanceIds=[target])
    everything = elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    by_id = elb.describe_target_health(TargetGroupArn=tg, Targets=[{"Id": target}])["TargetHealthDescriptions"]
    expect(everything == [], f"the unfiltered list still holds {everything}")
    expect(by_id and by_id[0]["TargetHealth"]["State"] == "draining" and by_id[0]["TargetHealth"].get("Reason") == "Target.DeregistrationInProgress", f"by id: {by_id}")


# ---------------------------------------------------------------- launch templates

def launch_template_tags_on_run_instances():
    name, created = template()
    launched = run(LaunchTemplate={"LaunchTemplateName": name})
    tags = tags_of(launched)
    ec2.terminate_instances(InstanceIds=[launched])
    expect(tags.get("aws:ec2launchtemplate:id") == created["LaunchTemplate"]["LaunchTemplateId"] and tags.get("aws:ec2launchtemplate:version") == "1", f"tags {tags}")


def launch_template_and_group_tags_from_a_group():
    name, created = template()
    group_name = unique("vb-asg")
    group(group_name, LaunchTemplate={"LaunchTemplateName": name}, MinSize=1, DesiredCapacity=1)
    launched = wait(lambda: described_group(group_name)["Instances"], "the group's instance")[0]["InstanceId"]
    tags = tags_of(launched)
    asg.delete_auto_scaling_group(AutoScalingGroupName=group_name, ForceDelete=True)
    expect(tags.get("aws:autoscaling:groupName") == group_name, f"group tag missing: {tags}")
    expect(tags.get("aws:ec2launchtemplate:id") == created["LaunchTemplate"]["LaunchTemplateId"], f"template tags missing: {tags}")


def group_without_version_echoes_none():
    name, _ = template()
    group_name = unique("vb-asg")
    group(group_name, LaunchTemplate={"LaunchTemplateName": name})
    spec = described_group(group_name)["LaunchTemplate"]
    asg.delete_auto_scaling_group(AutoScalingGroupName=group_name, ForceDelete=True)
    expect("Version" not in spec, f"LaunchTemplate {spec}")


def template_with_unknown_image_is_accepted():
    code, message = error_of(lambda: template(ImageId="ami-0123456789abcdef0"))
    expect(code is None, f"refused: {code} {message}")


def latest_versions_without_a_template():
    names = [template()[0], template()[0]]
    code, message = error_of(lambda: ec2.describe_launch_template_versions(Versions=["$Latest"]))
    expect(code is None, f"refused: {code} {message}")
    listed = [v["LaunchTemplateName"] for v in ec2.describe_launch_template_versions(Versions=["$Latest"])["LaunchTemplateVersions"]]
    expect(all(n in listed for n in names), f"listed {listed}")


def modify_template_with_id_and_name():
    name, created = template()
    code, message = error_of(lambda: ec2.modify_launch_template(LaunchTemplateId=created["LaunchTemplate"]["LaunchTemplateId"], LaunchTemplateName=name, DefaultVersion="1"))
    expect(code == "InvalidParameterCombination" and "Either provide launch template ID or launch template name" in message, f"got {code} {message}")


def describe_images_names_both_missing():
    code, message = error_of(lambda: ec2.describe_images(ImageIds=["ami-00000000000000001", "ami-00000000000000002"]))
    expect(code == "InvalidAMIID.NotFound" and "ami-00000000000000001" in message and "ami-00000000000000002" in message, f"got {code} {message}")


def update_missing_group_message():
    code, message = error_of(lambda: asg.update_auto_scaling_group(AutoScalingGroupName=unique("vb-none"), MinSize=1))
    expect(code == "ValidationError" and message.endswith("not found - null"), f"got {code} {message}")


def ssm_kernel_6_12_family():
    for architecture in ("x86_64", "arm64"):
        code, message = error_of(lambda a=architecture: ssm.get_parameter(Name=f"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-{a}"))
        expect(code is None, f"{architecture}: {code} {message}")


# ---------------------------------------------------------------- instances

def private_ip_is_honoured():
    base = subnet_c["CidrBlock"].split("/")[0].split(".")
    address = f"{base[0]}.{base[1]}.{int(base[2]) + 8}.{50 + int(uuid.uuid4().int % 150)}"
    launched = run(SubnetId=subnet_c["SubnetId"], PrivateIpAddress=address)
    got = instance(launched)["PrivateIpAddress"]
    ec2.terminate_instances(InstanceIds=[launched])
    expect(got == address, f"asked {address}, got {got}")


def private_ip_outside_the_subnet_is_refused():
    code, message = error_of(lambda: run(SubnetId=subnet_c["SubnetId"], PrivateIpAddress="10.99.0.50"))
    expect(code == "InvalidParameterValue", f"got {code} {message}")


def launch_options_are_echoed():
    launched = run(Monitoring={"Enabled": True}, EbsOptimized=True, HibernationOptions={"Configured": True})
    described = instance(launched)
    ec2.terminate_instances(InstanceIds=[launched])
    got = (described["Monitoring"]["State"], described.get("EbsOptimized"), described.get("HibernationOptions", {}).get("Configured"))
    expect(got == ("enabled", True, True), f"monitoring, EBS-optimized, hibernation: {got}")


def disable_api_stop_is_enforced():
    launched = run(DisableApiStop=True)
    running(launched)
    code, message = error_of(lambda: ec2.stop_instances(InstanceIds=[launched]))
    ec2.modify_instance_attribute(InstanceId=launched, DisableApiStop={"Value": False})
    ec2.terminate_instances(InstanceIds=[launched])
    expect(code == "OperationNotPermitted", f"stop answered {code} {message}")


def source_dest_check_can_be_turned_off():
    launched = run()
    ec2.modify_instance_attribute(InstanceId=launched, SourceDestCheck={"Value": False})
    got = instance(launched).get("SourceDestCheck")
    ec2.terminate_instances(InstanceIds=[launched])
    expect(got is False, f"SourceDestCheck {got}")


def sixty_rules_per_group():
    sg = ec2.create_security_group(GroupName=unique("vb-sixty"), Description="quota", VpcId=vpc)["GroupId"]
    rules = [{"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]} for p in range(1000, 1060)]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=rules)
    code, message = error_of(lambda: ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 2000, "ToPort": 2000, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]))
    ec2.delete_security_group(GroupId=sg)
    expect(code == "RulesPerSecurityGroupLimitExceeded", f"the 61st rule: {code} {message}")


# ---------------------------------------------------------------- Auto Scaling and SSM

def new_instances_protected_and_capacity_rebalance():
    name, _ = template()
    group_name = unique("vb-asg")
    group(group_name, LaunchTemplate={"LaunchTemplateName": name, "Version": "$Latest"}, MinSize=1, DesiredCapacity=1,
          NewInstancesProtectedFromScaleIn=True, CapacityRebalance=True)
    described = wait(lambda: (lambda g: g if g["Instances"] else None)(described_group(group_name)), "the group's instance")
    asg.delete_auto_scaling_group(AutoScalingGroupName=group_name, ForceDelete=True)
    got = (described["Instances"][0]["ProtectedFromScaleIn"], described.get("CapacityRebalance"))
    expect(got == (True, True), f"ProtectedFromScaleIn, CapacityRebalance: {got}")


def groups_page_at_50():
    name, _ = template()
    names = [unique("vb-page") for _ in range(51)]
    for group_name in names:
        group(group_name, LaunchTemplate={"LaunchTemplateName": name})
    page = asg.describe_auto_scaling_groups()
    for group_name in names:
        asg.delete_auto_scaling_group(AutoScalingGroupName=group_name, ForceDelete=True)
    expect(len(page["AutoScalingGroups"]) == 50 and "NextToken" in page, f"first page {len(page['AutoScalingGroups'])}, NextToken {'NextToken' in page}")


def tags_filter_by_propagate_at_launch():
    name, _ = template()
    group_name = unique("vb-asg")
    group(group_name, LaunchTemplate={"LaunchTemplateName": name},
          Tags=[{"Key": "lab", "Value": "1", "PropagateAtLaunch": True}, {"Key": "owner", "Value": "me", "PropagateAtLaunch": False}])
    found = asg.describe_tags(Filters=[{"Name": "auto-scaling-group", "Values": [group_name]}, {"Name": "propagate-at-launch", "Values": ["true"]}])["Tags"]
    asg.delete_auto_scaling_group(AutoScalingGroupName=group_name, ForceDelete=True)
    expect([t["Key"] for t in found] == ["lab"], f"found {found}")


def send_command_fields():
    label = unique("vb-role")
    target = run(IamInstanceProfile={"Name": PROFILE}, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": label}]}])
    running(target)
    given = ssm.send_command(InstanceIds=[target], DocumentName="AWS-RunShellScript", Parameters={"commands": ["echo hi"]}, MaxConcurrency="2", MaxErrors="1")["Command"]
    default = ssm.send_command(InstanceIds=[target], DocumentName="AWS-RunShellScript", Parameters={"commands": ["echo hi"]})["Command"]
    ec2.terminate_instances(InstanceIds=[target])
    got = (given["MaxConcurrency"], given["MaxErrors"], default["MaxConcurrency"], default["MaxErrors"], given.get("OutputS3Region"))
    expect(got == ("2", "1", "50", "0", region), f"MaxConcurrency/MaxErrors given, defaulted, OutputS3Region: {got}")


def list_commands():
    target = run(IamInstanceProfile={"Name": PROFILE})
    running(target)
    command = ssm.send_command(InstanceIds=[target], DocumentName="AWS-RunShellScript", Parameters={"commands": ["echo hi"]})["Command"]["CommandId"]
    code, message = error_of(lambda: ssm.list_commands(CommandId=command))
    listed = [] if code else ssm.list_commands(CommandId=command)["Commands"]
    ec2.terminate_instances(InstanceIds=[target])
    expect(code is None and [c["CommandId"] for c in listed] == [command], f"ListCommands: {code} {message} {listed}")


def send_command_to_tag_targets():
    label = unique("vb-role")
    target = run(IamInstanceProfile={"Name": PROFILE}, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": label}]}])
    running(target)
    code, message = error_of(lambda: ssm.send_command(Targets=[{"Key": "tag:Role", "Values": [label]}], DocumentName="AWS-RunShellScript", Parameters={"commands": ["echo hi"]}))
    ec2.terminate_instances(InstanceIds=[target])
    expect(code is None, f"tag targets refused: {code} {message}")


# ---------------------------------------------------------------- VPC building blocks

def vpc_block_range_is_checked():
    code, message = error_of(lambda: ec2.create_vpc(CidrBlock="10.0.0.0/8"))
    expect(code == "InvalidVpc.Range", f"/8 VPC: {code} {message}")


def subnet_blocks_are_checked():
    new_vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    outside, _ = error_of(lambda: ec2.create_subnet(VpcId=new_vpc, CidrBlock="10.21.0.0/24", AvailabilityZone=region + "a"))
    subnet = ec2.create_subnet(VpcId=new_vpc, CidrBlock="10.20.1.0/24", AvailabilityZone=region + "a")["Subnet"]["SubnetId"]
    overlap, _ = error_of(lambda: ec2.create_subnet(VpcId=new_vpc, CidrBlock="10.20.1.0/25", AvailabilityZone=region + "a"))
    busy, _ = error_of(lambda: ec2.delete_vpc(VpcId=new_vpc))
    ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=new_vpc)
    expect((outside, overlap, busy) == ("InvalidSubnet.Range", "InvalidSubnet.Conflict", "DependencyViolation"), f"outside, overlap, VPC with subnet: {(outside, overlap, busy)}")


def gateway_and_route_table_dependencies():
    new_vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=new_vpc, CidrBlock="10.30.1.0/24", AvailabilityZone=region + "a")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=new_vpc)
    attached, _ = error_of(lambda: ec2.delete_internet_gateway(InternetGatewayId=igw))
    table = ec2.create_route_table(VpcId=new_vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    association = ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)["AssociationId"]
    associated, _ = error_of(lambda: ec2.delete_route_table(RouteTableId=table))
    ec2.disassociate_route_table(AssociationId=association)
    ec2.delete_route_table(RouteTableId=table)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=new_vpc)
    ec2.delete_internet_gateway(InternetGatewayId=igw)
    ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=new_vpc)
    expect((attached, associated) == ("DependencyViolation", "DependencyViolation"), f"attached gateway, associated table: {(attached, associated)}")


def internet_facing_load_balancer_needs_a_gateway():
    new_vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_subnet(VpcId=new_vpc, CidrBlock="10.40.1.0/24", AvailabilityZone=region + "a")["Subnet"]["SubnetId"]
    c = ec2.create_subnet(VpcId=new_vpc, CidrBlock="10.40.2.0/24", AvailabilityZone=region + "c")["Subnet"]["SubnetId"]
    code, message = error_of(lambda: elb.create_load_balancer(Name=unique("vb-alb"), Subnets=[a, c]))
    for lb in elb.describe_load_balancers()["LoadBalancers"]:
        if lb["VpcId"] == new_vpc:
            elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
    for subnet in (a, c):
        error_of(lambda s=subnet: ec2.delete_subnet(SubnetId=s))
    error_of(lambda: ec2.delete_vpc(VpcId=new_vpc))
    expect(code == "InvalidSubnet" and f"VPC {new_vpc} has no internet gateway" in message, f"got {code} {message}")


CHECKS = [
    target_health_unknown_id, target_health_terminated,
    launch_template_tags_on_run_instances, launch_template_and_group_tags_from_a_group, group_without_version_echoes_none,
    template_with_unknown_image_is_accepted, latest_versions_without_a_template, modify_template_with_id_and_name,
    describe_images_names_both_missing, update_missing_group_message, ssm_kernel_6_12_family,
    private_ip_is_honoured, private_ip_outside_the_subnet_is_refused, launch_options_are_echoed, disable_api_stop_is_enforced,
    source_dest_check_can_be_turned_off, sixty_rules_per_group,
    new_instances_protected_and_capacity_rebalance, groups_page_at_50, tags_filter_by_propagate_at_launch,
    send_command_fields, list_commands, send_command_to_tag_targets,
    vpc_block_range_is_checked, subnet_blocks_are_checked, gateway_and_route_table_dependencies, internet_facing_load_balancer_needs_a_gateway,
]

for check in CHECKS:
    try:
        check()
        print("OK " + check.__name__, flush=True)
    except Diff as difference:
        print(f"DIFF {check.__name__} {difference}", flush=True)
    except Exception as error:  # an endpoint that fails a call differently is a difference too
        detail = error.response["Error"] if isinstance(error, ClientError) else traceback.format_exception_only(error)[-1].strip()
        print(f"DIFF {check.__name__} raised {detail}", flush=True)
print("DONE", flush=True)
