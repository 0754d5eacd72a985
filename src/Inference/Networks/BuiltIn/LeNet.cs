using ConvService.Contracts.Networks;
using static ConvService.Inference.Networks.BuiltIn.Layers;

namespace ConvService.Inference.Networks.BuiltIn;

/// <summary>LeNet-5 in its modern form: [CONV-POOL-CONV-POOL-FC-FC-FC] on 32x32 grey images, 61,706 parameters.</summary>
internal static class LeNet
{
    public static NetworkSpec LeNet5() => new()
    {
        Name = "lenet5",
        Description = "LeNet-5 (LeCun et al., 1998), modern form: 6 and 16 5x5 convs, 2x2 stride-2 subsampling, FC 120-84-10",
        Input = [1, 32, 32],
        Layers =
        [
            Conv("conv1", 6, 5), Relu("relu1"), MaxPool("pool1", 2, 2),
            Conv("conv2", 16, 5), Relu("relu2"), MaxPool("pool2", 2, 2),
            Fc("fc1", 120), Relu("relu3"),
            Fc("fc2", 84), Relu("relu4"),
            Fc("fc3", 10), Softmax(),
        ],
    };
}
