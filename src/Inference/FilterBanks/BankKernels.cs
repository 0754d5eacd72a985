using ConvService.Inference.Filters;

namespace ConvService.Inference.FilterBanks;

/// <summary>
/// The kernel recipes shared by the Oxford VGG texture banks (makeLMfilters.m, makeRFSfilters.m): anisotropic
/// Gaussian derivatives, Gaussians and Laplacians of Gaussian on a square odd support, each normalised to zero mean
/// and unit L1 norm. Computed in double, stored as float.
/// </summary>
internal static class BankKernels
{
    /// <summary>Support of every bank filter (the largest filter's, 49x49).</summary>
    public const int Support = 49;

    /// <summary>Long-axis sigma over short-axis sigma of the oriented filters.</summary>
    public const double Elongation = 3.0;

    /// <summary>
    /// An oriented first (order 1, "edge") or second (order 2, "bar") Gaussian derivative: Gaussian of sigma
    /// 3*<paramref name="sigma"/> along the rotated x axis times the derivative of a Gaussian of sigma
    /// <paramref name="sigma"/> along the rotated y axis, with y pointing up and the sample grid rotated by
    /// [c -s; s c] as the reference code does. Orientations 0 and 90 degrees also carry their separable factors.
    /// </summary>
    public static Kernel2D OrientedDerivative(double sigma, int order, int orientationDegrees)
    {
        var half = Support / 2;
        var angle = Math.PI * orientationDegrees / 180.0;
        var (sin, cos) = Math.SinCos(angle);
        var values = new double[Support * Support];
        for (var row = 0; row < Support; row++)
        {
            var y = (double)(half - row);
            for (var col = 0; col < Support; col++)
            {
                var x = (double)(col - half);
                var rotatedX = (cos * x) - (sin * y);
                var rotatedY = (sin * x) + (cos * y);
                values[(row * Support) + col] = Gaussian1D(Elongation * sigma, rotatedX, 0) * Gaussian1D(sigma, rotatedY, order);
            }
        }

        var kernel = NormaliseToKernel(values);
        return order == 1 && orientationDegrees % 90 == 0
            ? WithSeparableFactors(kernel, sigma, orientationDegrees)
            : kernel;
    }

    /// <summary>An isotropic Gaussian (MATLAB fspecial('gaussian')), normalised like every bank filter.</summary>
    /// <remarks>The reference normalisation also removes the Gaussian's mean, so it is zero-mean here too.</remarks>
    public static Kernel2D Gaussian(double sigma) => Isotropic(r2 => Math.Exp(-r2 / (2 * sigma * sigma)));

    /// <summary>A Laplacian of Gaussian (MATLAB fspecial('log')): negative centre, positive ring.</summary>
    public static Kernel2D LaplacianOfGaussian(double sigma)
    {
        var variance = sigma * sigma;
        return Isotropic(r2 => Math.Exp(-r2 / (2 * variance)) * (r2 - (2 * variance)) / (variance * variance));
    }

    /// <summary>A radially symmetric kernel f(r^2) on the bank support, normalised.</summary>
    public static Kernel2D Isotropic(Func<double, double> profileOfSquaredRadius)
    {
        var half = Support / 2;
        var values = new double[Support * Support];
        for (var row = 0; row < Support; row++)
        {
            var y = (double)(half - row);
            for (var col = 0; col < Support; col++)
            {
                var x = (double)(col - half);
                values[(row * Support) + col] = profileOfSquaredRadius((x * x) + (y * y));
            }
        }

        return NormaliseToKernel(values);
    }

    /// <summary>
    /// A 1-D Gaussian of the given sigma (mean 0) or its first or second derivative at <paramref name="x"/>
    /// (gauss1d in the reference code).
    /// </summary>
    public static double Gaussian1D(double sigma, double x, int order)
    {
        var variance = sigma * sigma;
        var g = Math.Exp(-(x * x) / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance);
        return order switch
        {
            0 => g,
            1 => -g * (x / variance),
            2 => g * (((x * x) - variance) / (variance * variance)),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Only Gaussian derivatives of order 0, 1 and 2 are defined."),
        };
    }

    /// <summary>Subtracts the mean, then divides by the L1 norm (normalise in the reference code).</summary>
    public static Kernel2D NormaliseToKernel(double[] values)
    {
        NormaliseInPlace(values);
        var floats = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            floats[i] = (float)values[i];
        }

        return new Kernel2D(Support, Support, floats);
    }

    public static void NormaliseInPlace(double[] values)
    {
        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        var l1 = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] -= mean;
            l1 += Math.Abs(values[i]);
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= l1;
        }
    }

    // An axis-aligned edge filter is odd, so its mean is already zero and normalising keeps it an outer product:
    // the factors let an engine run it as two 1-D passes.
    private static Kernel2D WithSeparableFactors(Kernel2D kernel, double sigma, int orientationDegrees)
    {
        var half = Support / 2;
        var across = new double[Support];
        var along = new double[Support];
        for (var i = 0; i < Support; i++)
        {
            along[i] = Gaussian1D(Elongation * sigma, i - half, 0);
        }

        // At 0 degrees the derivative runs along y (up = decreasing row); at 90 degrees along -x (x' = -y, y' = x).
        var vertical = orientationDegrees % 180 == 0;
        var sign = orientationDegrees % 360 == 0 || orientationDegrees % 360 == 90 ? 1.0 : -1.0;
        for (var i = 0; i < Support; i++)
        {
            var coordinate = vertical ? half - i : i - half;
            across[i] = sign * Gaussian1D(sigma, coordinate, 1);
        }

        var column = ToUnitL1(vertical ? across : along);
        var row = ToUnitL1(vertical ? along : across);
        return new Kernel2D(Support, Support, kernel.Values, column, row);
    }

    private static float[] ToUnitL1(double[] values)
    {
        var l1 = values.Sum(Math.Abs);
        return values.Select(v => (float)(v / l1)).ToArray();
    }
}
