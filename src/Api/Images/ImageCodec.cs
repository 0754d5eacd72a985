namespace ConvService.Api.Images;

public sealed class ImageCodec;
