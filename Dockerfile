# syntax=docker/dockerfile:1
# Multi-stage: build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig appsettings.json MyiV3.sln ./
COPY MyiV3.Data/MyiV3.Data.csproj MyiV3.Data/
COPY MyiV3.Jobs/MyiV3.Jobs.csproj MyiV3.Jobs/
COPY MyiV3.Web/MyiV3.Web.csproj MyiV3.Web/
RUN dotnet restore MyiV3.Web/MyiV3.Web.csproj
COPY MyiV3.Data/ MyiV3.Data/
COPY MyiV3.Jobs/ MyiV3.Jobs/
COPY MyiV3.Web/ MyiV3.Web/
RUN dotnet publish MyiV3.Web/MyiV3.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Import__StorageDirectory=/data/uploads
RUN mkdir -p /data && chown app:app /data
VOLUME /data
USER app
EXPOSE 8080
# The image has no PostgreSQL: give it one with ConnectionStrings__Myi.
ENTRYPOINT ["dotnet", "MyiV3.Web.dll"]
