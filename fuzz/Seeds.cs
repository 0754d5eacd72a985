using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvService.Fuzz;

/// <summary>
/// Writes the starting corpus of each harness: small valid inputs, so AFL spends its time on the parsers'
/// interesting branches rather than on finding a signature. ONNX seeds are the small exporter models of the tests.
/// </summary>
internal static class Seeds
{
    public static int Write(string root)
    {
        WriteImages(Directory.CreateDirectory(Path.Combine(root, "image")).FullName);
        WriteSpecs(Directory.CreateDirectory(Path.Combine(root, "spec")).FullName);
        WriteInferRequests(Directory.CreateDirectory(Path.Combine(root, "v2")).FullName);
        return 0;
    }

    private static void WriteImages(string folder)
    {
        using var image = new Image<Rgba32>(7, 5);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                image[x, y] = new Rgba32((byte)(x * 36), (byte)(y * 50), (byte)((x + y) * 20), (byte)(255 - (x * y)));
            }
        }

        void Save(string name, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
        {
            using var file = File.Create(Path.Combine(folder, name));
            image.Save(file, encoder);
        }

        Save("rgba.png", new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        Save("gray.png", new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        Save("rgb-paeth.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Paeth });
        Save("gray-alpha-average.png", new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Average });
        Save("palette.png", new PngEncoder { ColorType = PngColorType.Palette });
        Save("interlaced.png", new PngEncoder { ColorType = PngColorType.Rgb, InterlaceMethod = PngInterlaceMode.Adam7 });
        Save("baseline.jpg", new JpegEncoder { Quality = 75 });
        Save("gray.jpg", new JpegEncoder { Quality = 50, ColorType = JpegColorType.Luminance });
        Save("frame.gif", new GifEncoder());
        Save("lossy.webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        Save("lossless.webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
    }

    private static void WriteSpecs(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "conv.json"), """{"input": [3, 32, 32], "layers": [{"type": "conv", "filters": 10, "size": 5}]}""");
        File.WriteAllText(Path.Combine(folder, "lenet.json"), """
            {"name": "lenet", "input": [1, 32, 32], "layers": [
              {"type": "conv", "filters": 6, "size": 5}, {"type": "pool", "size": 2, "stride": 2},
              {"type": "conv", "filters": 16, "size": 5, "padding": "same"}, {"type": "pool", "size": [2, 2], "stride": 2},
              {"type": "fc", "units": 120}, {"type": "fc", "units": 10}]}
            """);
        foreach (var name in ConvService.Inference.Networks.BuiltIn.BuiltInNetworks.Names.Take(4))
        {
            var spec = ConvService.Inference.Networks.BuiltIn.BuiltInNetworks.Get(name);
            File.WriteAllText(Path.Combine(folder, $"{name}.json"), ConvService.Inference.Networks.Json.NetworkJson.Serialize(spec));
        }
    }

    private static void WriteInferRequests(string folder)
    {
        var digit = string.Join(",", Enumerable.Range(0, 784).Select(i => (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(folder, "flat.json"), $$"""{"id":"a","inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":[{{digit}}]}]}""");
        File.WriteAllText(Path.Combine(folder, "outputs.json"), $$"""{"inputs":[{"name":"input","shape":[1,1,28,28],"datatype":"FP32","data":[{{digit}}]}],"outputs":[{"name":"logits"}]}""");
        File.WriteAllBytes(Path.Combine(folder, "open.json"), Encoding.UTF8.GetBytes("""
             {"inputs":[{"name":"image","shape":[1,3,2,2],"datatype":"FP32","data":[[[1,2],[3,4]],[[5,6],[7,8]],[[9,10],[11,12]]]},
              {"name":"scale","shape":[1,2],"datatype":"FP32","data":[0.5,"NaN"]}],"outputs":[{"name":"score","parameters":{"binary_data":false}}]}
            """));
    }
}
