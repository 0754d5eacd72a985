using ConvService.Inference.Filters;

namespace ConvService.Inference.Tests.FilterBanks;

/// <summary>
/// Deliberately naive 'same'-size filtering for the bank tests, standing in for the engine's correlation.
/// </summary>
internal static class PlainFiltering
{
    /// <summary>Cross-correlation, 'same' size, zero outside the image: out(p) = sum_q in(p + q) k(q).</summary>
    public static FloatImage Correlate(FloatImage image, Kernel2D kernel) => Apply(image, kernel, convolve: false);

    /// <summary>Convolution like MATLAB conv2(..., 'same') for odd kernels: out(p) = sum_q in(p - q) k(q).</summary>
    public static FloatImage Convolve(FloatImage image, Kernel2D kernel) => Apply(image, kernel, convolve: true);

    /// <summary>
    /// Mean of squared correlations over a square window of points centred on the origin, for an image given as a
    /// function of (column, row): no borders, so analytic test patterns show the filter's own selectivity.
    /// </summary>
    public static double EnergyAround(Kernel2D kernel, Func<double, double, double> pattern, int halfWindow) =>
        EnergyAround(kernel, Sample(pattern, halfWindow + (kernel.Rows / 2)), halfWindow);

    /// <summary>The pattern sampled on the integer grid [-reach, reach]^2, row-major.</summary>
    public static double[] Sample(Func<double, double, double> pattern, int reach)
    {
        var size = (2 * reach) + 1;
        var samples = new double[size * size];
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                samples[(row * size) + column] = pattern(column - reach, row - reach);
            }
        }

        return samples;
    }

    /// <summary><see cref="EnergyAround(Kernel2D, Func{double, double, double}, int)"/> on pre-sampled values.</summary>
    public static double EnergyAround(Kernel2D kernel, double[] samples, int halfWindow)
    {
        var size = (int)Math.Sqrt(samples.Length);
        var weights = kernel.Values;
        var sum = 0.0;
        var count = 0;
        for (var top = 0; top <= 2 * halfWindow; top++)
        {
            for (var left = 0; left <= 2 * halfWindow; left++)
            {
                var response = 0.0;
                for (var r = 0; r < kernel.Rows; r++)
                {
                    var sampleRow = ((top + r) * size) + left;
                    var weightRow = r * kernel.Cols;
                    for (var c = 0; c < kernel.Cols; c++)
                    {
                        response += weights[weightRow + c] * samples[sampleRow + c];
                    }
                }

                sum += response * response;
                count++;
            }
        }

        return sum / count;
    }

    public static FloatImage RandomGray(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new FloatImage(width, height, 1);
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = (float)random.NextDouble();
        }

        return image;
    }

    private static FloatImage Apply(FloatImage image, Kernel2D kernel, bool convolve)
    {
        var output = new FloatImage(image.Width, image.Height, 1);
        var input = image.Data;
        var weights = kernel.Values;
        var halfRows = kernel.Rows / 2;
        var halfCols = kernel.Cols / 2;
        var sign = convolve ? -1 : 1;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var sum = 0.0;
                for (var r = 0; r < kernel.Rows; r++)
                {
                    var sy = y + (sign * (r - halfRows));
                    if (sy < 0 || sy >= image.Height)
                    {
                        continue;
                    }

                    for (var c = 0; c < kernel.Cols; c++)
                    {
                        var sx = x + (sign * (c - halfCols));
                        if (sx >= 0 && sx < image.Width)
                        {
                            sum += input[(sy * image.Width) + sx] * weights[(r * kernel.Cols) + c];
                        }
                    }
                }

                output.Data[(y * image.Width) + x] = (float)sum;
            }
        }

        return output;
    }
}
