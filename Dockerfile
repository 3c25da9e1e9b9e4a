# syntax=docker/dockerfile:1
# LabPortal: build with the .NET SDK, run on the ASP.NET runtime.
#   docker build -t labportal .
#   docker run -p 5000:5000 -p 4566:4566 -p 8080:8080 -v labportal-data:/data labportal
# Ports: 5000 the portal, 4566 the sandbox's AWS API, 8080 the sandbox's data plane (load balancers
# and instance web servers, routed by Host header). /data holds the database, the job store,
# Data Protection keys and the sandbox's state: keep it on a volume. Health: GET /healthz (200 or 503).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig LabPortal.slnx ./
COPY LabPortal/LabPortal.csproj LabPortal/
COPY LabPortal.Aws/LabPortal.Aws.csproj LabPortal.Aws/
COPY LabPortal.Sandbox/LabPortal.Sandbox.csproj LabPortal.Sandbox/
RUN dotnet restore LabPortal/LabPortal.csproj
COPY LabPortal/ LabPortal/
COPY LabPortal.Aws/ LabPortal.Aws/
COPY LabPortal.Sandbox/ LabPortal.Sandbox/
RUN dotnet publish LabPortal/LabPortal.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown app:app /data
USER app
ENV ASPNETCORE_URLS=http://+:5000 \
    Portal__DataDirectory=/data \
    Sandbox__BindAddress=0.0.0.0
VOLUME /data
EXPOSE 5000 4566 8080
ENTRYPOINT ["dotnet", "LabPortal.dll"]
