using ConvService.Inference.Onnx;

namespace ConvService.Inference.Tests.TestSupport;

/// <summary>
/// The lecture's classic networks as ONNX graphs with seeded random weights. The op structure of each network
/// is kept (layer kinds, kernels, strides, pads, branches, skip connections); channel widths and input sizes are
/// reduced where stated so an oracle comparison stays well under a second.
/// </summary>
internal static class NetworkZoo
{
    /// <summary>LeNet-5 at full size: 32x32 grey input, 6 and 16 5x5 filters, average pooling, tanh, 120-84-10.</summary>
    public static byte[] LeNet5(int batch = 1)
    {
        var b = new OnnxGraphBuilder(seed: 5);
        var x = b.Input("input", [batch, 1, 32, 32]);
        x = b.Elementwise("Tanh", b.Conv(x, 6, 5));
        x = b.AveragePool(x, 2, 2);
        x = b.Elementwise("Tanh", b.Conv(x, 16, 5));
        x = b.AveragePool(x, 2, 2);
        x = b.Flatten(x);
        x = b.Elementwise("Tanh", b.Gemm(x, 120));
        x = b.Elementwise("Tanh", b.Gemm(x, 84));
        b.Output(b.Softmax(b.Gemm(x, 10)));
        return b.ToBytes();
    }

    /// <summary>AlexNet at 1/4 width (24-64-96-96-64 filters, 1024-1024-1000 classifier) on a 99x99 input, LRN kept.</summary>
    public static byte[] AlexNetQuarter(int batch = 1)
    {
        var b = new OnnxGraphBuilder(seed: 6);
        var x = b.Input("input", [batch, 3, 99, 99]);
        x = b.Lrn(b.Relu(b.Conv(x, 24, 11, stride: 4, pad: 2)), 5);
        x = b.MaxPool(x, 3, 2);
        x = b.Lrn(b.Relu(b.Conv(x, 64, 5, pad: 2, group: 2)), 5);
        x = b.MaxPool(x, 3, 2);
        x = b.Relu(b.Conv(x, 96, 3, pad: 1));
        x = b.Relu(b.Conv(x, 96, 3, pad: 1, group: 2));
        x = b.Relu(b.Conv(x, 64, 3, pad: 1, group: 2));
        x = b.MaxPool(x, 3, 2, ceilMode: true);
        x = b.Flatten(x);
        x = b.Dropout(b.Relu(b.Gemm(x, 1024)));
        x = b.Dropout(b.Relu(b.Gemm(x, 1024)));
        b.Output(b.Softmax(b.Gemm(x, 1000)));
        return b.ToBytes();
    }

    /// <summary>VGG-11 (configuration A) at 1/4 width (16-32-64-64-128-128-128-128) on a 32x32 input, classifier 1024-1024-1000.</summary>
    public static byte[] Vgg11Quarter(int batch = 1)
    {
        var b = new OnnxGraphBuilder(seed: 11);
        var x = b.Input("input", [batch, 3, 32, 32]);
        int[][] stages = [[16], [32], [64, 64], [128, 128], [128, 128]];
        foreach (var stage in stages)
        {
            foreach (var channels in stage)
            {
                x = b.Relu(b.Conv(x, channels, 3, pad: 1));
            }

            x = b.MaxPool(x, 2, 2);
        }

        x = b.Flatten(x);
        x = b.Dropout(b.Relu(b.Gemm(x, 1024)));
        x = b.Dropout(b.Relu(b.Gemm(x, 1024)));
        b.Output(b.Gemm(x, 1000));
        return b.ToBytes();
    }

    /// <summary>
    /// GoogLeNet (Inception v1, nine inception modules, LRN, ceil-mode pools, average pool, dropout, softmax) at 1/4
    /// width on a 64x64 input.
    /// </summary>
    public static byte[] GoogLeNetQuarter(int batch = 1)
    {
        var b = new OnnxGraphBuilder(seed: 22);
        var x = b.Input("input", [batch, 3, 64, 64]);
        x = b.Relu(b.Conv(x, 16, 7, stride: 2, pad: 3));
        x = b.Lrn(b.MaxPool(x, 3, 2, ceilMode: true), 5);
        x = b.Relu(b.Conv(x, 16, 1));
        x = b.Relu(b.Conv(x, 48, 3, pad: 1));
        x = b.MaxPool(b.Lrn(x, 5), 3, 2, ceilMode: true);
        x = Inception(b, x, 16, 24, 32, 4, 8, 8);
        x = Inception(b, x, 32, 32, 48, 8, 24, 16);
        x = b.MaxPool(x, 3, 2, ceilMode: true);
        x = Inception(b, x, 48, 24, 52, 4, 12, 16);
        x = Inception(b, x, 40, 28, 56, 6, 16, 16);
        x = Inception(b, x, 32, 32, 64, 6, 16, 16);
        x = Inception(b, x, 28, 36, 72, 8, 16, 16);
        x = Inception(b, x, 64, 40, 80, 8, 32, 32);
        x = b.MaxPool(x, 3, 2, ceilMode: true);
        x = Inception(b, x, 64, 40, 80, 8, 32, 32);
        x = Inception(b, x, 96, 48, 96, 12, 32, 32);
        x = b.Dropout(b.GlobalAveragePool(x));
        x = b.Flatten(x);
        b.Output(b.Softmax(b.Gemm(x, 1000)));
        return b.ToBytes();
    }

    /// <summary>One inception module: 1x1, 1x1-3x3, 1x1-5x5 and 3x3 max pool-1x1 branches concatenated on channels.</summary>
    public static string Inception(OnnxGraphBuilder b, string x, int c1, int c3Reduce, int c3, int c5Reduce, int c5, int poolProjection)
    {
        var branch1 = b.Relu(b.Conv(x, c1, 1));
        var branch3 = b.Relu(b.Conv(b.Relu(b.Conv(x, c3Reduce, 1)), c3, 3, pad: 1));
        var branch5 = b.Relu(b.Conv(b.Relu(b.Conv(x, c5Reduce, 1)), c5, 5, pad: 2));
        var branchPool = b.Relu(b.Conv(b.MaxPool(x, 3, 1, pad: 1), poolProjection, 1));
        return b.Concat(1, branch1, branch3, branch5, branchPool);
    }

    /// <summary>ResNet-50 (bottleneck blocks 3-4-6-3, BatchNormalization everywhere, projection shortcuts) at 1/4 width on a 64x64 input.</summary>
    public static byte[] ResNet50Quarter(int batch = 1)
    {
        var b = new OnnxGraphBuilder(seed: 50);
        var x = b.Input("input", [batch, 3, 64, 64]);
        x = b.Relu(b.BatchNorm(b.Conv(x, 16, 7, stride: 2, pad: 3, bias: false)));
        x = b.MaxPool(x, 3, 2, pad: 1);
        int[] blocks = [3, 4, 6, 3];
        for (var stage = 0; stage < blocks.Length; stage++)
        {
            var width = 16 << stage;
            for (var block = 0; block < blocks[stage]; block++)
            {
                x = Bottleneck(b, x, width, block == 0 && stage > 0 ? 2 : 1);
            }
        }

        x = b.Flatten(b.GlobalAveragePool(x));
        b.Output(b.Gemm(x, 1000));
        return b.ToBytes();
    }

    /// <summary>A bottleneck residual block: 1x1 reduce, 3x3 (carrying the stride), 1x1 expand to 4x width, add, relu.</summary>
    public static string Bottleneck(OnnxGraphBuilder b, string x, int width, int stride)
    {
        var inChannels = b.ShapeOf(x)[1];
        var y = b.Relu(b.BatchNorm(b.Conv(x, width, 1, bias: false)));
        y = b.Relu(b.BatchNorm(b.Conv(y, width, 3, stride: stride, pad: 1, bias: false)));
        y = b.BatchNorm(b.Conv(y, width * 4, 1, bias: false));
        var shortcut = inChannels == width * 4 && stride == 1 ? x : b.BatchNorm(b.Conv(x, width * 4, 1, stride: stride, bias: false));
        return b.Relu(b.Add(y, shortcut));
    }
}
