# Build and publish with the SDK image, run on the slim ASP.NET runtime image. Without access to the public
# registries, deploy/offline-base-images.sh builds local stand-ins with these exact names.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore from the project files alone, so a source change reuses the restored packages.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Contracts/ConvService.Contracts.csproj src/Contracts/
COPY src/Inference/ConvService.Inference.csproj src/Inference/
COPY src/Api/ConvService.Api.csproj src/Api/
RUN dotnet restore src/Api/ConvService.Api.csproj

COPY src/ src/
# The service's project copies models/ and the packaged ResNet-18 into its output models folder.
COPY models/ models/
RUN dotnet publish src/Api/ConvService.Api.csproj --configuration Release --no-restore --output /app \
 # The models go to /models, once: the engine library's own copy of the ResNet-18 graphs is for its tests.
 && mv /app/models /models \
 && rm -rf /models/resnet18

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The model repository (LeNet-5 plus ResNet-18 from its NuGet package); mount a folder or volume here to share one.
COPY --from=build --chown=app:app /models/ /models/
# Kestrel listens where ASPNETCORE_HTTP_PORTS (or ASPNETCORE_URLS, which wins) says.
# Workstation GC: measured idle and peak memory in docs/deployment.md.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConvService__Models__Path=/models \
    DOTNET_gcServer=0 \
    DOTNET_GCConserveMemory=5
EXPOSE 8080
USER app
# The app probes its own readiness endpoint: no curl or shell needed in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/ConvService.Api.dll", "--health-check"]
ENTRYPOINT ["dotnet", "/app/ConvService.Api.dll"]
