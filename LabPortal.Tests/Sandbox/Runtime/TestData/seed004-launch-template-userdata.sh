#!/bin/bash
# Seed 004 (Auto Scaling group behind an ALB) shows its steps as screenshots only, with no script
# text. This is the launch template user data its steps need: a web server on every instance
# that says which instance answered (IMDSv2, as launch templates default to HttpTokens required).
yum install -y httpd
systemctl start httpd
systemctl enable httpd
TOKEN=$(curl -s -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
INSTANCE_ID=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)
AZ=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/placement/availability-zone)
echo "<h1>Hello from $INSTANCE_ID in $AZ</h1>" > /var/www/html/index.html
