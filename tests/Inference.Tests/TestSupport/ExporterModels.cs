using ConvService.Inference.Onnx;
using static ConvService.Inference.Onnx.OnnxGraphBuilder;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// Small models in the shapes exporters emit for segmentation and text detection, with seeded random weights, for
/// one fixed input size each (build one per size to compare at several).
/// </summary>
internal static class ExporterModels
{
    /// <summary>
    /// A U-Net-style decoder as torch.onnx exports it (opset 13): a two-level encoder, then ConvTranspose k2 s2
    /// upsampling concatenated with the skip connection, a bilinear Resize (scales, pytorch_half_pixel, the export
    /// of nn.Upsample(mode="bilinear")) and a 1x1 head with Sigmoid.
    /// </summary>
    public static byte[] UNetDecoder(int height, int width)
    {
        var b = new OnnxGraphBuilder(seed: 41, opset: 13);
        var x = b.Input("image", [1, 3, height, width]);
        var e1 = b.Relu(b.BatchNorm(b.Conv(x, 16, 3, pad: 1, bias: false)));
        var e2 = b.Relu(b.Conv(b.MaxPool(e1, 2, 2), 32, 3, pad: 1));
        var bottom = b.Relu(b.Conv(b.MaxPool(e2, 2, 2), 64, 3, pad: 1));

        var up2 = ConvTranspose(b, bottom, 32, kernel: 2, stride: 2);
        var d2 = b.Relu(b.Conv(b.Concat(1, up2, e2), 32, 3, pad: 1));
        var up1 = ConvTranspose(b, d2, 16, kernel: 2, stride: 2);
        var d1 = b.Relu(b.Conv(b.Concat(1, up1, e1), 16, 3, pad: 1));

        // An auxiliary head from the coarser level, upsampled bilinearly to full size and added in.
        var coarse = b.Conv(d2, 16, 1);
        var upsampled = Resize(b, coarse, "linear", "pytorch_half_pixel", 2f);
        var merged = b.Add(d1, upsampled);
        b.Output(b.Elementwise("Sigmoid", b.Conv(merged, 2, 1)));
        return b.ToBytes();
    }

    /// <summary>
    /// A DBNet-style text-detection head (opset 11): a four-level backbone, an FPN whose top-down path upsamples by
    /// nearest Resize (asymmetric, floor: the export of F.interpolate(scale_factor=2)), every level resized to
    /// the finest and concatenated, then the probability map through ConvTranspose k2 s2 twice and Sigmoid.
    /// </summary>
    public static byte[] TextDetectorHead(int height, int width)
    {
        var b = new OnnxGraphBuilder(seed: 42, opset: 11);
        var x = b.Input("image", [1, 3, height, width]);
        var c2 = b.Relu(b.Conv(x, 8, 3, stride: 4, pad: 1));
        var c3 = b.Relu(b.Conv(c2, 16, 3, stride: 2, pad: 1));
        var c4 = b.Relu(b.Conv(c3, 24, 3, stride: 2, pad: 1));
        var c5 = b.Relu(b.Conv(c4, 32, 3, stride: 2, pad: 1));

        var in5 = b.Conv(c5, 16, 1, bias: false);
        var in4 = b.Add(b.Conv(c4, 16, 1, bias: false), Resize(b, in5, "nearest", "asymmetric", 2f, "floor"));
        var in3 = b.Add(b.Conv(c3, 16, 1, bias: false), Resize(b, in4, "nearest", "asymmetric", 2f, "floor"));
        var in2 = b.Add(b.Conv(c2, 16, 1, bias: false), Resize(b, in3, "nearest", "asymmetric", 2f, "floor"));

        var p5 = Resize(b, b.Conv(in5, 4, 3, pad: 1, bias: false), "nearest", "asymmetric", 8f, "floor");
        var p4 = Resize(b, b.Conv(in4, 4, 3, pad: 1, bias: false), "nearest", "asymmetric", 4f, "floor");
        var p3 = Resize(b, b.Conv(in3, 4, 3, pad: 1, bias: false), "linear", "half_pixel", 2f);
        var p2 = b.Conv(in2, 4, 3, pad: 1, bias: false);
        var fused = b.Concat(1, p5, p4, p3, p2);

        var y = b.Relu(b.BatchNorm(b.Conv(fused, 4, 3, pad: 1, bias: false)));
        y = b.Relu(ConvTranspose(b, y, 4, kernel: 2, stride: 2));
        y = ConvTranspose(b, y, 1, kernel: 2, stride: 2);
        b.Output(b.Elementwise("Sigmoid", y));
        return b.ToBytes();
    }

    private static string ConvTranspose(OnnxGraphBuilder b, string x, int outChannels, int kernel, int stride)
    {
        var s = b.ShapeOf(x);
        var name = $"deconv{s[1]}x{outChannels}_{s[2]}";
        var w = b.Initializer($"{name}.weight", [s[1], outChannels, kernel, kernel], b.RandomValues(s[1] * outChannels * kernel * kernel, MathF.Sqrt(3f / (s[1] * kernel * kernel / (stride * stride)))));
        var bias = b.Initializer($"{name}.bias", [outChannels], b.RandomValues(outChannels, 0.1f));
        int[] outShape = [s[0], outChannels, ((s[2] - 1) * stride) + kernel, ((s[3] - 1) * stride) + kernel];
        return b.Node("ConvTranspose", name, [x, w, bias], outShape, Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", 0, 0, 0, 0));
    }

    private static string Resize(OnnxGraphBuilder b, string x, string mode, string transform, float scale, string nearestMode = "round_prefer_floor")
    {
        var s = b.ShapeOf(x);
        var name = $"resize_{mode}_{s[1]}_{s[2]}x{s[3]}_x{scale}";
        var roi = b.Initializer($"{name}.roi", [0], []);
        var scales = b.Initializer($"{name}.scales", [4], [1f, 1f, scale, scale]);
        int[] outShape = [s[0], s[1], (int)(s[2] * scale), (int)(s[3] * scale)];
        return b.Node("Resize", name, [x, roi, scales], outShape, String("mode", mode), String("coordinate_transformation_mode", transform), String("nearest_mode", nearestMode));
    }
}
