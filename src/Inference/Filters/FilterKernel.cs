namespace ConvService.Inference.Filters;

/// <summary>What a filter computes per output pixel: one linear kernel, or the gradient magnitude of two.</summary>
public abstract record FilterKernel
{
    private FilterKernel()
    {
    }

    public abstract int Rows { get; }

    public abstract int Cols { get; }

    /// <summary>g = sum of kernel weights times the pixels under them.</summary>
    public sealed record Linear(Kernel2D Kernel) : FilterKernel
    {
        public override int Rows => Kernel.Rows;

        public override int Cols => Kernel.Cols;
    }

    /// <summary>g = sqrt(gx^2 + gy^2), gx and gy the two linear responses (e.g. Sobel x and y), same size.</summary>
    public sealed record GradientMagnitude : FilterKernel
    {
        public GradientMagnitude(Kernel2D gx, Kernel2D gy)
        {
            if (gx.Rows != gy.Rows || gx.Cols != gy.Cols)
            {
                throw new ArgumentException($"Gradient kernels must have the same size, got {gx.Rows}x{gx.Cols} and {gy.Rows}x{gy.Cols}.");
            }

            Gx = gx;
            Gy = gy;
        }

        public Kernel2D Gx { get; }

        public Kernel2D Gy { get; }

        public override int Rows => Gx.Rows;

        public override int Cols => Gx.Cols;
    }
}
