using ConvService.Inference.Serving.Descriptors;
using ConvService.Inference.Serving.Preprocessing;

namespace ConvService.Api.Tests.Support;

/// <summary>Model preprocessors for tests of how uploads become a model's input, without a model file.</summary>
public static class ImageModels
{
    /// <summary>A 224x224 model of <paramref name="channels"/> channels with the given preprocessing.</summary>
    public static ModelDescriptor Descriptor(int channels, PreprocessingDescriptor preprocessing) => new()
    {
        Name = "m",
        Input = new InputDescriptor { Name = "input", Channels = channels, Height = 224, Width = 224 },
        Preprocessing = preprocessing,
    };

    /// <summary>An ImageNet-style colour model: shorter side to 224 with a centre crop, scaled to 0..1, mean and std per channel.</summary>
    public static ImagePreprocessor ImageNetStyle(string channelOrder) => new(Descriptor(3, new PreprocessingDescriptor
    {
        Resize = ResizeModes.ShorterSide,
        Scale = 1f / 255f,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
        ChannelOrder = channelOrder,
    }));
}
