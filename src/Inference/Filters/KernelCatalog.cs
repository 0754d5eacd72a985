using System.Globalization;
using ConvService.Inference.Errors;

namespace ConvService.Inference.Filters;

/// <summary>The named kernels callers can ask for instead of sending a matrix.</summary>
public static class KernelCatalog
{
    private const string Size = "size";
    private const string Sigma = "sigma";
    private const int DefaultSize = 3;
    private const double DefaultSigma = 1.0;

    private static readonly Entry[] Entries =
    [
        new("identity", "Returns the image unchanged: a single 1 at the centre.", true, [], _ => Impulse(1, 1)),
        new("box", "Mean of the size x size neighbourhood: blurs (odd size, default 3).", true, [Size], p => Box(p.Size ?? DefaultSize)),
        new("shift-left", "Moves the image one pixel left: correlating with a 1 right of centre.", true, [], _ => Impulse(1, 2)),
        new("shift-right", "Moves the image one pixel right: correlating with a 1 left of centre.", true, [], _ => Impulse(1, 0)),
        new("shift-up", "Moves the image one pixel up: correlating with a 1 below the centre.", true, [], _ => Impulse(2, 1)),
        new("shift-down", "Moves the image one pixel down: correlating with a 1 above the centre.", true, [], _ => Impulse(0, 1)),
        new("sharpen", "2 x identity - box: boosts detail the box blur would remove (odd size, default 3).", false, [Size], p => Sharpen(p.Size ?? DefaultSize)),
        new("sobel-x", "Horizontal gradient [1 0 -1; 2 0 -2; 1 0 -1]: responds to vertical edges.", true, [], _ => SobelX()),
        new("sobel-y", "Vertical gradient [1 2 1; 0 0 0; -1 -2 -1]: responds to horizontal edges.", true, [], _ => SobelY()),
        new("sobel-magnitude", "Edge strength sqrt(gx^2 + gy^2) of the two Sobel gradients, any direction.", true, [], _ => SobelX()),
        new("laplacian", "Second derivative [0 1 0; 1 -4 1; 0 1 0]: zero on flat and linear areas, strong at edges.", false, [], _ => Laplacian()),
        new("gaussian", "Gaussian blur, normalised to sum 1 (sigma default 1, size default 2*ceil(3*sigma)+1, odd).", true, [Size, Sigma], p => Gaussian(p.Size, p.Sigma ?? DefaultSigma)),
    ];

    private static readonly string[] Names = Array.ConvertAll(Entries, e => e.Name);

    /// <summary>Every named kernel, with its matrix at default parameters.</summary>
    public static IReadOnlyList<KernelInfo> All { get; } =
        Array.ConvertAll(Entries, e => new KernelInfo(e.Name, e.Description, e.Separable, e.Build(new Parameters(null, null)), e.Parameters));

    /// <summary>Builds a named kernel, refusing unknown names and parameters that do not make sense for it.</summary>
    public static FilterKernel Create(string name, int? size, double? sigma, int maxSize)
    {
        var key = name?.Trim().ToLowerInvariant() ?? string.Empty;
        var entry = Array.Find(Entries, e => e.Name == key)
            ?? throw new ConvServiceException(
                ErrorKind.InvalidInput,
                "Unknown kernel",
                $"There is no kernel named '{name}'. Use one of: {string.Join(", ", Names)}, or send your own matrix.",
                new Dictionary<string, object?> { ["knownKernels"] = Names });

        if (size is not null)
        {
            if (!entry.Parameters.Contains(Size))
            {
                throw ConvServiceException.InvalidInput("Invalid kernel parameter", $"Kernel '{entry.Name}' has a fixed size and takes no size: leave the size out.");
            }

            CheckSize(size.Value, maxSize);
        }

        if (sigma is not null)
        {
            if (!entry.Parameters.Contains(Sigma))
            {
                throw ConvServiceException.InvalidInput("Invalid kernel parameter", $"Kernel '{entry.Name}' takes no sigma: leave it out (only gaussian has one).");
            }

            if (!double.IsFinite(sigma.Value) || sigma.Value <= 0)
            {
                throw ConvServiceException.InvalidInput("Invalid kernel parameter", $"Sigma {sigma.Value.ToString(CultureInfo.InvariantCulture)} is not allowed: the Gaussian's width must be a positive finite number, e.g. 1 or 2.5.");
            }
        }

        if (entry.Name == "gaussian" && size is null)
        {
            var needed = GaussianSize(sigma ?? DefaultSigma);
            if (needed > maxSize)
            {
                throw ConvServiceException.InvalidInput(
                    "Invalid kernel parameter",
                    $"Sigma {(sigma ?? DefaultSigma).ToString(CultureInfo.InvariantCulture)} needs a {needed}x{needed} kernel (2*ceil(3*sigma)+1), more than the limit {maxSize}. Use a smaller sigma or give a size of at most {maxSize}.");
            }
        }

        var kernel = entry.Build(new Parameters(size, sigma));
        return entry.Name == "sobel-magnitude"
            ? new FilterKernel.GradientMagnitude(SobelX(), SobelY())
            : new FilterKernel.Linear(kernel);
    }

    private static void CheckSize(int size, int maxSize)
    {
        if (size < 1)
        {
            throw ConvServiceException.InvalidInput("Invalid kernel parameter", $"Size {size} is not allowed: the kernel side must be at least 1.");
        }

        if (size % 2 == 0)
        {
            throw ConvServiceException.InvalidInput("Invalid kernel parameter", $"Size {size} is even: this kernel needs a centre pixel, so use an odd size such as {size - 1} or {size + 1}.");
        }

        if (size > maxSize)
        {
            throw ConvServiceException.InvalidInput("Invalid kernel parameter", $"Size {size} is larger than the limit {maxSize}: use a size of at most {maxSize}.");
        }
    }

    private static int GaussianSize(double sigma) => (int)Math.Min(2 * Math.Ceiling(3 * sigma) + 1, int.MaxValue);

    private static Kernel2D Impulse(int row, int col)
    {
        float[] column = [0, 0, 0];
        float[] line = [0, 0, 0];
        column[row] = 1;
        line[col] = 1;
        return Kernel2D.Outer(column, line);
    }

    private static Kernel2D Box(int size)
    {
        var factor = new float[size];
        Array.Fill(factor, 1f / size);
        return Kernel2D.Outer(factor, factor);
    }

    private static Kernel2D Sharpen(int size)
    {
        var values = new float[size * size];
        var mean = 1.0 / (size * size);
        Array.Fill(values, (float)-mean);
        values[values.Length / 2] = (float)(2 - mean);
        return new Kernel2D(size, size, values);
    }

    private static Kernel2D SobelX() => Kernel2D.Outer([1, 2, 1], [1, 0, -1]);

    private static Kernel2D SobelY() => Kernel2D.Outer([1, 0, -1], [1, 2, 1]);

    private static Kernel2D Laplacian() => new(3, 3, [0, 1, 0, 1, -4, 1, 0, 1, 0]);

    private static Kernel2D Gaussian(int? size, double sigma)
    {
        var n = size ?? GaussianSize(sigma);
        var weights = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = i - (n - 1) / 2.0;
            weights[i] = Math.Exp(-d * d / (2 * sigma * sigma));
            sum += weights[i];
        }

        // Each 1-D factor sums to 1, so the 2-D kernel does too.
        var factor = Array.ConvertAll(weights, w => (float)(w / sum));
        return Kernel2D.Outer(factor, factor);
    }

    private sealed record Parameters(int? Size, double? Sigma);

    private sealed record Entry(string Name, string Description, bool Separable, string[] Parameters, Func<Parameters, Kernel2D> Build);
}
