using ConvService.Contracts.Networks;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Networks;

/// <summary>
/// The lecture's opening slides: how many weights one hidden layer needs when wired fully, locally (a patch per
/// unit, unshared) or as a convolution (filters shared over positions).
/// </summary>
public static class ConnectivityCalculator
{
    public static ConnectivityComparison Compare(int channels, int height, int width, int hiddenUnits, int patch, int filters)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || hiddenUnits <= 0 || patch <= 0 || filters <= 0)
        {
            throw ConvServiceException.DoesNotFit("Invalid connectivity sizes",
                "channels, height, width, units, patch and filters must all be positive. Fix: e.g. channels=3&height=200&width=200&units=1000&patch=10&filters=100.");
        }

        if (patch > Math.Min(height, width))
        {
            throw ConvServiceException.DoesNotFit("Patch larger than the image",
                $"a {patch}x{patch} patch does not fit a {height}x{width} image. Fix: use a patch of at most {Math.Min(height, width)}.");
        }

        // Every count fits 64 bits unless the product of the sizes does not; the largest one is the fully
        // connected layer's, so checking it in floating point first refuses what would overflow with its formula.
        var largest = (double)channels * height * width * hiddenUnits;
        var largestLocal = (double)patch * patch * channels * Math.Max(hiddenUnits, filters);
        if (Math.Max(largest, largestLocal) >= long.MaxValue)
        {
            throw ConvServiceException.DoesNotFit("Counts too large",
                $"{height}*{width}*{channels} inputs * {hiddenUnits} units = {largest:0.###e+0} weights (and {patch}*{patch}*{channels} * {Math.Max(hiddenUnits, filters)} = {largestLocal:0.###e+0}), "
                + $"over the {long.MaxValue:N0} this calculator counts to. Fix: use smaller sizes.");
        }

        var pixels = (long)channels * height * width;
        var patchArea = (long)patch * patch;
        var fully = pixels * hiddenUnits;
        var localLecture = patchArea * hiddenUnits;
        var local = patchArea * channels * hiddenUnits;
        var convLecture = patchArea * filters;
        var conv = patchArea * channels * filters;
        return new ConnectivityComparison
        {
            InputDims = [channels, height, width],
            HiddenUnits = hiddenUnits,
            Patch = patch,
            Filters = filters,
            FullyConnectedWeights = fully,
            LocallyConnectedWeightsLecture = localLecture,
            LocallyConnectedWeights = local,
            ConvolutionalWeightsLecture = convLecture,
            ConvolutionalWeights = conv,
            FullyConnectedBiases = hiddenUnits,
            LocallyConnectedBiases = hiddenUnits,
            ConvolutionalBiases = filters,
            Formulas =
            [
                $"fully connected: {height}*{width}*{channels} inputs * {hiddenUnits} units = {NetworkWalker.Number(fully)} weights",
                $"locally connected (lecture, depth left out): {patch}*{patch} * {hiddenUnits} units = {NetworkWalker.Number(localLecture)} weights",
                $"locally connected (exact): {patch}*{patch}*{channels} * {hiddenUnits} units = {NetworkWalker.Number(local)} weights",
                $"convolutional (lecture, depth left out): {patch}*{patch} * {filters} filters = {NetworkWalker.Number(convLecture)} weights",
                $"convolutional (exact): {patch}*{patch}*{channels} * {filters} filters = {NetworkWalker.Number(conv)} weights + {filters} biases",
            ],
        };
    }
}
