using ConvService.Contracts.Networks;
using static ConvService.Inference.Networks.BuiltIn.Layers;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>
/// GoogLeNet as in Szegedy et al.'s table 1 (no auxiliary classifiers). Its 7x7/2 conv on 224 and its 3x3/2 pools
/// do not tile exactly: the spec asks for fit floor (conv) and ceil mode (pools), as the Caffe model does.
/// </summary>
internal static class GoogLeNet
{
    public static NetworkSpec Create() => new()
    {
        Name = "googlenet",
        Description = "GoogLeNet (Szegedy et al., 2014): 9 inception modules, global average pooling, no FC-4096 layers",
        Input = [3, 224, 224],
        Fit = FitMode.Floor,
        Layers =
        [
            Conv("conv1/7x7_s2", 64, 7, stride: 2, padding: 3), Relu("conv1/relu_7x7"),
            MaxPool("pool1/3x3_s2", 3, 2, ceilMode: true),
            Lrn("pool1/norm1"),
            Conv("conv2/3x3_reduce", 64, 1), Relu("conv2/relu_3x3_reduce"),
            Conv("conv2/3x3", 192, 3, padding: 1), Relu("conv2/relu_3x3"),
            Lrn("conv2/norm2"),
            MaxPool("pool2/3x3_s2", 3, 2, ceilMode: true),
            Inception("inception_3a", 64, 96, 128, 16, 32, 32),
            Inception("inception_3b", 128, 128, 192, 32, 96, 64),
            MaxPool("pool3/3x3_s2", 3, 2, ceilMode: true),
            Inception("inception_4a", 192, 96, 208, 16, 48, 64),
            Inception("inception_4b", 160, 112, 224, 24, 64, 64),
            Inception("inception_4c", 128, 128, 256, 24, 64, 64),
            Inception("inception_4d", 112, 144, 288, 32, 64, 64),
            Inception("inception_4e", 256, 160, 320, 32, 128, 128),
            MaxPool("pool4/3x3_s2", 3, 2, ceilMode: true),
            Inception("inception_5a", 256, 160, 320, 32, 128, 128),
            Inception("inception_5b", 384, 192, 384, 48, 128, 128),
            new PoolLayerSpec { Name = "pool5/7x7_s1", Mode = PoolMode.Avg, Size = 7, Stride = 1 },
            Dropout("pool5/drop_7x7_s1", 0.4),
            Fc("loss3/classifier", 1000),
            Softmax(),
        ],
    };

    private static InceptionLayerSpec Inception(string name, int n1, int r3, int n3, int r5, int n5, int pool) => new()
    {
        Name = name,
        OneByOne = n1,
        ThreeByThreeReduce = r3,
        ThreeByThree = n3,
        FiveByFiveReduce = r5,
        FiveByFive = n5,
        PoolProjection = pool,
    };
}
