using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ConvService.Api.Tests.Models;
using ConvService.Api.Tests.Support;

namespace ConvService.Api.Tests.Faults;

/// <summary>
/// The model repository on a tmpfs just large enough for LeNet once: a second copy cannot be written. Needs Linux
/// and the right to mount (root in a container); elsewhere the test reports itself skipped.
/// </summary>
public sealed class FullDiskTests
{
    private const string Key = "full-disk-key";

    [SkippableFact]
    public async Task AnUploadToAFullRepositoryIs507AndTheOldModelKeepsServing()
    {
        var shipped = Path.Combine(ModelService.ShippedModels, "lenet5-mnist");
        var onnx = File.ReadAllBytes(Path.Combine(shipped, "model.onnx"));
        var folder = Path.Combine(Path.GetTempPath(), "convservice-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        // Room for the model once plus a little: the staged copy of the replacement runs out of space.
        Skip.IfNot(Run("mount", "-t", "tmpfs", "-o", $"size={(onnx.Length * 3 / 2) + (64 * 1024)}", "tmpfs", folder), "Cannot mount a tmpfs here (needs Linux and root).");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "lenet5-mnist"));
            File.Copy(Path.Combine(shipped, "model.onnx"), Path.Combine(folder, "lenet5-mnist", "model.onnx"));
            File.Copy(Path.Combine(shipped, "model.json"), Path.Combine(folder, "lenet5-mnist", "model.json"));
            await using var factory = ServiceFactory.Create(("ConvService:Models:Path", folder), ("ConvService:Models:PollSeconds", "0"), ("ConvService:Models:ApiKey", Key));
            using var client = factory.CreateClient();

            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(onnx);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "model", "model.onnx");
            using var put = new HttpRequestMessage(HttpMethod.Put, "/api/models/lenet5-mnist") { Content = form };
            put.Headers.Add("X-Api-Key", Key);

            var problem = await Problems.AssertProblemAsync(await client.SendAsync(put), HttpStatusCode.InsufficientStorage);
            Assert.Contains("full", problem.GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/models/lenet5-mnist/predict", Forms.With(DigitImages.Png(2)))).StatusCode);

            // The half-written staging folder is gone, so freeing space elsewhere is enough for the next try.
            Assert.Equal(["lenet5-mnist"], Directory.GetDirectories(folder).Select(Path.GetFileName));
        }
        finally
        {
            Run("umount", folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Run(string command, params string[] arguments)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit(TimeSpan.FromSeconds(30));
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
