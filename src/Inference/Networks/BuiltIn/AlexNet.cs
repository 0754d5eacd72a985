using ConvService.Contracts.Networks;
using static ConvService.Inference.Networks.BuiltIn.Layers;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>The lecture's simplified single-tower AlexNet on 227x227x3 (the two-GPU split and its grouped convs left out).</summary>
internal static class AlexNet
{
    public static NetworkSpec Create() => new()
    {
        Name = "alexnet",
        Description = "AlexNet (Krizhevsky et al., 2012), the lecture's simplified single-tower form on 227x227x3",
        Input = [3, 227, 227],
        Layers =
        [
            Conv("CONV1", 96, 11, stride: 4), Relu("relu1"),
            MaxPool("POOL1", 3, 2),
            Lrn("NORM1"),
            Conv("CONV2", 256, 5, padding: 2), Relu("relu2"),
            MaxPool("POOL2", 3, 2),
            Lrn("NORM2"),
            Conv("CONV3", 384, 3, padding: 1), Relu("relu3"),
            Conv("CONV4", 384, 3, padding: 1), Relu("relu4"),
            Conv("CONV5", 256, 3, padding: 1), Relu("relu5"),
            MaxPool("POOL3", 3, 2),
            Fc("FC6", 4096), Relu("relu6"), Dropout("drop6", 0.5),
            Fc("FC7", 4096), Relu("relu7"), Dropout("drop7", 0.5),
            Fc("FC8", 1000), Softmax(),
        ],
    };
}
