# Build and publish with the SDK image, run on the slim ASP.NET runtime image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
# The service's project copies models/ and the packaged ResNet-18 into its output models folder.
COPY models/ models/
RUN dotnet publish src/Api/ConvService.Api.csproj --configuration Release --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The published model repository (LeNet-5 plus ResNet-18 from its NuGet package); mount a volume here instead to share one.
COPY --from=build --chown=app:app /app/models/ /models/
ENV ASPNETCORE_URLS=http://+:8080 \
    ConvService__Models__Path=/models \
    DOTNET_gcServer=1
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "ConvService.Api.dll"]
