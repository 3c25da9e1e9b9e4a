#!/bin/bash
# Seed 000 ("[AWS] EC2에 Load Balancer 연동하기"), server 1: the blog's console commands as user data.
# Two changes make them a script, because no one is at a terminal: "yum update" and
# "yum install nginx" get -y (otherwise they abort at "Is this ok [y/N]"), and the page the
# blog typed into "vim index.html" is written by a quoted heredoc. Everything else is verbatim.
## 최고 관리자 권한 얻기
sudo su

## 패키지 업데이트
yum update -y

## nginx 설치
yum install -y nginx

## nginx 서비스를 시작
service nginx start

## nginx가 자동적으로 실행이 되도록 하기
systemctl enable nginx

## index.html이 있는 경로로 이동
cd /usr/share/nginx/html/

## index. html 편집
cat > index.html <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>gosim web page 01</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>gosim web page 01</h1>
<p>iPad, apple, iPhone </p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
EOF
