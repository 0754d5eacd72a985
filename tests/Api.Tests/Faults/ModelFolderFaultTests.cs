using System.Net;
using ConvService.Api.Tests.Models;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Faults;

/// <summary>Model folders changed by hand under a running service: the changed model answers honestly, the others keep serving.</summary>
public sealed class ModelFolderFaultTests
{
    [Fact]
    public async Task ACorruptModelCopiedInIsRefusedWith503AndTheOtherModelKeepsServing()
    {
        await using var service = ModelService.Create();
        ModelService.CopyFolder(Path.Combine(ModelService.ShippedModels, "lenet5-mnist"), Path.Combine(service.Folder, "digits"));
        service.Repository.Scan();
        var digit = DigitImages.Png(0);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.PostAsync("/api/models/digits/predict", Forms.With(digit))).StatusCode);

        // As an operator's cp of a truncated file would leave it.
        var onnx = Path.Combine(service.Folder, "digits", "model.onnx");
        await File.WriteAllBytesAsync(onnx, File.ReadAllBytes(onnx)[..4096]);
        service.Repository.Scan();

        var refused = await Problems.AssertProblemAsync(await service.Client.PostAsync("/api/models/digits/predict", Forms.With(digit)), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("digits", refused.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(digit))).StatusCode);
    }

    [Fact]
    public async Task ADeletedModelFolderIs404AndTheOtherModelKeepsServing()
    {
        await using var service = ModelService.Create();
        ModelService.CopyFolder(Path.Combine(ModelService.ShippedModels, "lenet5-mnist"), Path.Combine(service.Folder, "digits"));
        service.Repository.Scan();
        var digit = DigitImages.Png(1);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.PostAsync("/api/models/digits/predict", Forms.With(digit))).StatusCode);

        Directory.Delete(Path.Combine(service.Folder, "digits"), recursive: true);
        service.Repository.Scan();

        await Problems.AssertProblemAsync(await service.Client.PostAsync("/api/models/digits/predict", Forms.With(digit)), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(digit))).StatusCode);
    }
}
