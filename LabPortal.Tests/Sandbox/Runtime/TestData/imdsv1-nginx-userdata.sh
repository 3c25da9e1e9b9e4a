#!/bin/bash
# The other common shape of lab user data: IMDSv1 substitutions inside a double-quoted echo.
set -e
dnf install -y nginx
systemctl enable --now nginx
echo "<h1>$(curl -s http://169.254.169.254/latest/meta-data/instance-id) / \
$(curl -s http://169.254.169.254/latest/meta-data/placement/availability-zone) / \
$(curl -s http://169.254.169.254/latest/meta-data/local-ipv4) / $(hostname -f)</h1>" > /usr/share/nginx/html/index.html
