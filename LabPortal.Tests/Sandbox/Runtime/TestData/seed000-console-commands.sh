## 최고 관리자 권한 얻기
sudo su

## 패키지 업데이트
yum update

## nginx 설치
yum install nginx

## nginx 서비스를 시작
service nginx start

## nginx가 자동적으로 실행이 되도록 하기
systemctl enable nginx

## index.html이 있는 경로로 이동
cd /usr/share/nginx/html/

## index. html 편집
vim index.html 
