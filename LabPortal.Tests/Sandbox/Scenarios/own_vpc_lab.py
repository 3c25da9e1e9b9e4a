"""Lab 1 in a VPC of its own, built by hand with boto3 against a running sandbox (issue 19).

Builds a VPC with two public subnets (zones a and c) and an internet gateway, plus a private
subnet; puts Lab 1's two web servers and its load balancer in it; watches the pages alternate;
checks the VPC rules on the way (CIDR checks, DependencyViolation, no internet-facing load balancer
without a gateway, no reaching an instance without a route to the gateway, the load balancer
reaching a private target); then tears everything down to zero.

Usage: python3 own_vpc_lab.py ENDPOINT DATA_PLANE_URL ACCESS_KEY SECRET_KEY
Prints one line per finding, "OK <what>" or "FAIL <what>"; exits 1 on the first failure.
"""
import base64
import collections
import sys
import time
import urllib.error
import urllib.request

import boto3
from botocore.exceptions import ClientError

endpoint, data_plane, key, secret = sys.argv[1:5]
session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="ap-northeast-2")
ec2, elb, ssm = (session.client(s, endpoint_url=endpoint) for s in ("ec2", "elbv2", "ssm"))


def check(ok, what):
    print(("OK " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


def wait(probe, what, limit=90):
    deadline = time.time() + limit
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    check(False, "timed out waiting for " + what)


def refused(call, code, what, message=None):
    try:
        call()
    except ClientError as error:
        got = error.response["Error"]
        check(got["Code"] == code and (message is None or message in got["Message"]), f"{what}: {got['Code']} {got['Message']}")
        return
    check(False, f"{what}: accepted")


def get(host):
    """One request through the data plane with the given Host header: (status, body)."""
    request = urllib.request.Request(data_plane, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def tagged(kind, name):
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


# --- the VPC and its subnets, with the CIDR checks --------------------------------------------
refused(lambda: ec2.create_vpc(CidrBlock="10.0.0.0/8"), "InvalidVpc.Range", "a VPC block larger than /16 is refused")
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tagged("vpc", "lab1-vpc"))["Vpc"]["VpcId"]
check(ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["State"] == "available", "the new VPC is available")
main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
check(len(main) == 1 and [r["GatewayId"] for r in main[0]["Routes"]] == ["local"], "the VPC has a main route table with only its local route")
default_sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
check(len(default_sg) == 1, "the VPC has its default security group")

refused(lambda: ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24", AvailabilityZone="ap-northeast-2a"), "InvalidSubnet.Range", "a subnet outside the VPC's block is refused")
refused(lambda: ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="ap-northeast-2z"), "InvalidParameterValue", "a subnet in an unknown zone is refused")
public_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="ap-northeast-2a", TagSpecifications=tagged("subnet", "public-a"))["Subnet"]["SubnetId"]
public_c = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="ap-northeast-2c", TagSpecifications=tagged("subnet", "public-c"))["Subnet"]["SubnetId"]
private_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.11.0/24", AvailabilityZone="ap-northeast-2a", TagSpecifications=tagged("subnet", "private-a"))["Subnet"]["SubnetId"]
refused(lambda: ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.128/25", AvailabilityZone="ap-northeast-2a"), "InvalidSubnet.Conflict", "an overlapping subnet is refused")
for subnet in (public_a, public_c):
    ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
mapped = {s["SubnetId"]: s["MapPublicIpOnLaunch"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]}
check(mapped == {public_a: True, public_c: True, private_a: False}, f"only the public subnets map public addresses ({mapped})")

sg = ec2.create_security_group(GroupName="lab1-web", Description="web", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpProtocol="tcp", FromPort=80, ToPort=80, CidrIp="0.0.0.0/0")

# --- no internet-facing load balancer before the VPC has an internet gateway -------------------
refused(lambda: elb.create_load_balancer(Name="lab1-alb", Subnets=[public_a, public_c], SecurityGroups=[sg]),
        "InvalidSubnet", "an internet-facing load balancer is refused without an internet gateway", f"VPC {vpc} has no internet gateway")

# --- the internet gateway and the public route table ---------------------------------------------
igw = ec2.create_internet_gateway(TagSpecifications=tagged("internet-gateway", "lab1-igw"))["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
second = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
refused(lambda: ec2.attach_internet_gateway(InternetGatewayId=second, VpcId=vpc), "Resource.AlreadyAssociated", "a second gateway on the same VPC is refused")
ec2.delete_internet_gateway(InternetGatewayId=second)
refused(lambda: ec2.delete_internet_gateway(InternetGatewayId=igw), "DependencyViolation", "an attached gateway cannot be deleted")
attached = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])["InternetGateways"]
check([g["InternetGatewayId"] for g in attached] == [igw] and attached[0]["Attachments"][0]["State"] == "available", "the gateway is attached to the VPC")

public_rt = ec2.create_route_table(VpcId=vpc, TagSpecifications=tagged("route-table", "lab1-public"))["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
refused(lambda: ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw), "RouteAlreadyExists", "the same route twice is refused")
associations = [ec2.associate_route_table(RouteTableId=public_rt, SubnetId=s)["AssociationId"] for s in (public_a, public_c)]
refused(lambda: ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public_a), "Resource.AlreadyAssociated", "a subnet takes one explicit route table")
refused(lambda: ec2.delete_route_table(RouteTableId=public_rt), "DependencyViolation", "an associated route table cannot be deleted")
routes = ec2.describe_route_tables(RouteTableIds=[public_rt])["RouteTables"][0]
check({(r["DestinationCidrBlock"], r["GatewayId"], r["State"]) for r in routes["Routes"]} == {("10.0.0.0/16", "local", "active"), ("0.0.0.0/0", igw, "active")}, "the public table routes 0.0.0.0/0 to the gateway")

# --- Lab 1's two web servers in the public subnets, one more in the private subnet -----------------
ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]


def user_data(page):
    script = f"#!/bin/bash\ndnf install -y nginx\nsystemctl enable --now nginx\ncat > /usr/share/nginx/html/index.html <<'EOF'\n{page}\nEOF\n"
    return base64.b64encode(script.encode()).decode()


def run(name, subnet, page, **extra):
    return ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, SecurityGroupIds=[sg], SubnetId=subnet,
                             UserData=user_data(page), TagSpecifications=tagged("instance", name), **extra)["Instances"][0]["InstanceId"]


web1 = run("lab1-web-1", public_a, "<h1>Server 1</h1>")
web2 = run("lab1-web-2", public_c, "<h1>Server 2</h1>")
hidden = run("lab1-private", private_a, "<h1>Private server</h1>")
# A public address in a subnet whose route table has no route to the gateway.
stranded = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, UserData=user_data("<h1>Stranded server</h1>"),
                             NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": private_a, "Groups": [sg], "AssociatePublicIpAddress": True}],
                             TagSpecifications=tagged("instance", "lab1-stranded"))["Instances"][0]["InstanceId"]
servers = [web1, web2, hidden, stranded]
ec2.get_waiter("instance_running").wait(InstanceIds=servers, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
described = {i["InstanceId"]: i for r in ec2.describe_instances(InstanceIds=servers)["Reservations"] for i in r["Instances"]}
check(all(described[i]["VpcId"] == vpc for i in servers), "all servers run in the new VPC")
check(described[hidden].get("PublicIpAddress") is None and described[hidden]["PublicDnsName"] == "", "the private server has no public address")
check(described[web1]["PrivateIpAddress"].startswith("10.0.1.") and described[web2]["PrivateIpAddress"].startswith("10.0.2."), "private addresses come from the subnets")

for server, page in ((web1, "Server 1"), (web2, "Server 2")):
    status, body = wait(lambda s=server: (lambda r: r if r[0] == 200 else None)(get(described[s]["PublicDnsName"])), f"{page} to answer")
    check(page in body, f"{page} answers on its public address")
status, body = get(described[stranded]["PublicDnsName"])
check(described[stranded].get("PublicIpAddress") and status == 504, f"a public address in a subnet without a route to the gateway is not reachable ({status})")

refused(lambda: ec2.delete_subnet(SubnetId=public_a), "DependencyViolation", "a subnet with a running instance cannot be deleted")
refused(lambda: ec2.delete_vpc(VpcId=vpc), "DependencyViolation", "a VPC with subnets cannot be deleted")
refused(lambda: ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc), "DependencyViolation", "the gateway cannot be detached while public addresses are mapped")

# --- the load balancer, and the pages alternating -------------------------------------------------
tg = elb.create_target_group(Name="lab1-tg", Protocol="HTTP", Port=80, VpcId=vpc, HealthCheckPath="/",
                             HealthCheckIntervalSeconds=10, HealthyThresholdCount=2)["TargetGroups"][0]["TargetGroupArn"]
elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": web1}, {"Id": web2}])
lb = elb.create_load_balancer(Name="lab1-alb", Subnets=[public_a, public_c], SecurityGroups=[sg])["LoadBalancers"][0]
elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
wait(lambda: elb.describe_load_balancers(LoadBalancerArns=[lb["LoadBalancerArn"]])["LoadBalancers"][0]["State"]["Code"] == "active", "the load balancer to be active")
check(lb["VpcId"] == vpc, "the load balancer lives in the new VPC")


def healthy():
    return sorted(t["Target"]["Id"] for t in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"] if t["TargetHealth"]["State"] == "healthy")


wait(lambda: len(healthy()) == 2, "both servers to be healthy")
counts = collections.Counter(get(lb["DNSName"])[1].strip() for _ in range(40))
check(set(counts) == {"<h1>Server 1</h1>", "<h1>Server 2</h1>"} and all(n >= 12 for n in counts.values()), f"the pages alternate behind the load balancer {dict(counts)}")

# The load balancer reaches a target in a private subnet of its VPC.
elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": hidden}])
wait(lambda: hidden in healthy(), "the private server to be healthy")
pages = {get(lb["DNSName"])[1].strip() for _ in range(40)}
check("<h1>Private server</h1>" in pages, f"the load balancer reaches the private server ({sorted(pages)})")

# --- teardown to zero --------------------------------------------------------------------------
elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
wait(lambda: not elb.describe_load_balancers()["LoadBalancers"], "the load balancer to go")


def retry(call, what):
    def attempt():
        try:
            call()
            return True
        except ClientError as error:
            if error.response["Error"]["Code"] in ("ResourceInUse", "DependencyViolation"):
                return False
            raise
    wait(attempt, what)


retry(lambda: elb.delete_target_group(TargetGroupArn=tg), "the target group to be deleted")
ec2.terminate_instances(InstanceIds=servers)
ec2.get_waiter("instance_terminated").wait(InstanceIds=servers, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
retry(lambda: ec2.delete_security_group(GroupId=sg), "the security group to be deleted")
for association in associations:
    ec2.disassociate_route_table(AssociationId=association)
ec2.delete_route_table(RouteTableId=public_rt)
ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
ec2.delete_internet_gateway(InternetGatewayId=igw)
for subnet in (public_a, public_c, private_a):
    ec2.delete_subnet(SubnetId=subnet)
ec2.delete_vpc(VpcId=vpc)

left = {
    "vpcs": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]],
    "subnets": [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if not s["DefaultForAz"]],
    "gateways": [g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"] if g["InternetGatewayId"] in (igw, second)],
    "route tables": [t["RouteTableId"] for t in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]],
    "instances": [i["InstanceId"] for r in ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped", "shutting-down"]}])["Reservations"] for i in r["Instances"]],
    "load balancers": elb.describe_load_balancers()["LoadBalancers"],
    "target groups": elb.describe_target_groups()["TargetGroups"],
    "security groups": [g["GroupId"] for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]],
}
check(all(not v for v in left.values()), f"everything is torn down to zero {left}")
print("DONE", flush=True)
