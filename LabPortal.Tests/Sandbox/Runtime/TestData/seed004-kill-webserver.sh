# Seed 004's experiment "인스턴스 하나의 웹서버를 죽여보면" (kill one instance's web server),
# as the SSM AWS-RunShellScript command the lab sends.
sudo systemctl stop httpd
