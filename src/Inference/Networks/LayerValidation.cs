using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks;

/// <summary>Refusals of sizes that can never work (zero, negative), before any arithmetic is tried.</summary>
internal static class LayerValidation
{
    public static void Inception(InceptionLayerSpec spec, LayerSite site)
    {
        (string Name, int Value)[] counts =
        [
            ("n1x1", spec.OneByOne), ("n3x3reduce", spec.ThreeByThreeReduce), ("n3x3", spec.ThreeByThree),
            ("n5x5reduce", spec.FiveByFiveReduce), ("n5x5", spec.FiveByFive), ("poolProj", spec.PoolProjection),
        ];
        foreach (var (name, value) in counts)
        {
            if (value < 0)
            {
                throw NetworkErrors.DoesNotFit(site, "Invalid layer size",
                    $"{name} is {value}; filter counts cannot be negative. Fix: give 0 to leave that conv out, or a positive count.");
            }
        }
    }

    public static void RequireWindow(LayerSite site, Extent2 size, Extent2 stride, PaddingSpec padding)
    {
        RequirePositive(site, "size", Math.Min(size.Height, size.Width));
        RequirePositive(site, "stride", Math.Min(stride.Height, stride.Width));
        if (padding.Mode == PaddingMode.Explicit && Math.Min(Math.Min(padding.Top, padding.Bottom), Math.Min(padding.Left, padding.Right)) < 0)
        {
            throw NetworkErrors.DoesNotFit(site, "Invalid layer size",
                "padding cannot be negative. Fix: give 0 or more pixels, \"same\" or \"valid\".");
        }
    }

    public static void RequirePositive(LayerSite site, string member, int value)
    {
        if (value <= 0)
        {
            throw NetworkErrors.DoesNotFit(site, "Invalid layer size",
                $"{member} is {value}, but it must be a positive whole number. Fix: give {member} of 1 or more.");
        }
    }
}
