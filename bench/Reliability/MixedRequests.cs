using System.Net.Http.Headers;
using System.Text;

namespace ConvService.Bench.Reliability;

/// <summary>
/// The request mix: digits through /predict and /v2 infer, small photos through /api/filter, and a share of bad
/// requests (a truncated PNG, a corrupt JPEG header, malformed v2 JSON, an unknown kernel, an unknown model).
/// </summary>
internal sealed class MixedRequests(string root)
{
    private readonly byte[] digit = File.ReadAllBytes(Path.Combine(root, "bench", "Serving", "digit-2.png"));
    private readonly byte[] photo = File.ReadAllBytes(Path.Combine(root, "samples", "coffee.png"));
    private readonly string infer = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"data\":[" + string.Join(",", Enumerable.Repeat("0.5", 784)) + "]}]}";

    public HttpRequestMessage Next(Random random, double badShare)
    {
        if (random.NextDouble() < badShare)
        {
            return random.Next(5) switch
            {
                0 => Form("/api/filter", photo[..(photo.Length / 3)], ("kernel", "box")),
                1 => Form("/api/filter", [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, .. new byte[16], 0xFF, 0xD9], ("kernel", "box")),
                2 => new HttpRequestMessage(HttpMethod.Post, "/v2/models/lenet5-mnist/infer") { Content = new StringContent("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28", Encoding.UTF8, "application/json") },
                3 => Form("/api/filter", photo, ("kernel", "no-such-kernel")),
                _ => Form("/api/models/no-such-model/predict", digit),
            };
        }

        return random.Next(3) switch
        {
            0 => Form("/api/models/lenet5-mnist/predict", digit),
            1 => new HttpRequestMessage(HttpMethod.Post, "/v2/models/lenet5-mnist/infer") { Content = new StringContent(infer, Encoding.UTF8, "application/json") },
            _ => Form("/api/filter", photo, ("kernel", "sobel-magnitude"), ("gray", "true")),
        };
    }

    private static HttpRequestMessage Form(string path, byte[] image, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "upload.png");
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
    }
}
