using System.Diagnostics;
using ConvService.Api.Filters;
using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Api.Observability;
using ConvService.Contracts.Filters;
using ConvService.Inference.Errors;
using ConvService.Inference.Filters;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Serilog;

namespace ConvService.Api.Apis;

/// <summary>Image filtering: named kernels, filtering an uploaded image, and filtering a small matrix of numbers.</summary>
public static class FiltersApi
{
    public static IEndpointRouteBuilder MapFiltersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Filters");

        api.MapGet("/kernels", GetKernels)
            .WithName("ListKernels")
            .WithSummary("Every named kernel with its matrix, size, whether it is separable, and what it does.");

        api.MapPost("/kernels/compose", ComposeKernels)
            .RequireRateLimiting(ImageWorkLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ComposeKernels")
            .WithSummary("Compose kernels into one (a * (b1 * b2) = (a * b1) * b2): filtering once with the result equals filtering with each in turn.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/filter", FilterImage)
            .RequireRateLimiting(ImageWorkLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("FilterImage")
            .WithSummary("Cross-correlate or convolve an uploaded image with a named or custom kernel.")
            .WithDescription(
                "Multipart form: image plus kernel or matrix. Returns the filtered image (png, jpeg) or its float values (json). " +
                "The Server-Timing header splits the time into decode, filter and encode.")
            .DisableAntiforgery()
            .Accepts<FilterForm>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: ["image/jpeg"])
            .Produces<FilteredImageResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/filter/matrix", FilterMatrix)
            .RequireRateLimiting(ImageWorkLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("FilterMatrix")
            .WithSummary("Filter a matrix of numbers, as in the lecture's worked examples; returns the output and the size formula.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    public static Ok<KernelDescription[]> GetKernels() =>
        TypedResults.Ok(KernelCatalog.All
            .Select(k => new KernelDescription(k.Name, k.Description, k.DefaultKernel.Rows, k.DefaultKernel.Cols, k.DefaultKernel.ToRows(), k.Separable, k.Parameters))
            .ToArray());

    public static Ok<ComposeResponse> ComposeKernels(ComposeRequest request, IOptions<LimitsOptions> limits)
    {
        var operands = request.Kernels ?? [];
        if (operands.Count < 2)
        {
            throw ConvServiceException.InvalidInput(
                "Too few kernels",
                "'kernels' needs two or more entries, e.g. [{\"kernel\": \"gaussian\"}, {\"kernel\": \"laplacian\"}].");
        }

        if (operands.Count > limits.Value.MaxComposedKernels)
        {
            throw ConvServiceException.OverLimit(
                "Too many kernels",
                $"'kernels' has {operands.Count} entries; the limit is {limits.Value.MaxComposedKernels} (ConvService:Limits:MaxComposedKernels). Compose fewer kernels.");
        }

        var kernels = operands.Select((k, i) => LinearOperand(k, i, limits.Value.MaxKernelSize)).ToList();

        // A full composition grows by (F - 1) per kernel along each axis: known before any arithmetic, so an
        // oversized request is refused at once instead of after the (cubic) work.
        var rows = 1L + kernels.Sum(k => (long)k.Rows - 1);
        var cols = 1L + kernels.Sum(k => (long)k.Cols - 1);
        if (rows > limits.Value.MaxKernelSize || cols > limits.Value.MaxKernelSize)
        {
            throw ConvServiceException.DoesNotFit(
                "Composed kernel too large",
                $"The composition would be {rows}x{cols} (1 + the sum of (F - 1) per axis), over the {limits.Value.MaxKernelSize}x{limits.Value.MaxKernelSize} kernel limit (ConvService:Limits:MaxKernelSize). Compose fewer or smaller kernels.");
        }

        var composed = kernels.Skip(1).Aggregate(kernels[0], KernelAlgebra.Compose);

        var formula = string.Join(" * ", kernels.Select(k => $"{k.Rows}x{k.Cols}")) + $" = {composed.Rows}x{composed.Cols}";
        return TypedResults.Ok(new ComposeResponse(composed.Rows, composed.Cols, composed.ToRows(), composed.IsSeparable, formula));
    }

    public static async Task<IResult> FilterImage(
        [FromForm] FilterForm form,
        ImageCodec codec,
        IOptions<LimitsOptions> limits,
        HttpContext http,
        IDiagnosticContext diagnostics,
        CancellationToken cancellationToken)
    {
        // Cheap field checks first, so a bad parameter is reported before the upload is decoded.
        var format = OutputFormats.Parse(form.Format);
        var gray = FilterParameters.Flag(form.Gray, "gray");
        var scale = (float)(FilterParameters.OptionalDouble(form.Scale, "scale") ?? 1);
        var offset = (float)(FilterParameters.OptionalDouble(form.Offset, "offset") ?? 0);
        var kernel = FilterParameters.Kernel(
            form.Kernel,
            form.Matrix,
            null,
            FilterParameters.OptionalInt(form.Size, "size"),
            FilterParameters.OptionalDouble(form.Sigma, "sigma"),
            limits.Value.MaxKernelSize);
        var settings = FilterParameters.Settings(form.Op, form.Border, FilterParameters.ParsePadding(form.Padding), FilterParameters.OptionalInt(form.Stride, "stride"), form.Fit);
        var bytes = await Uploads.ReadAsync(form.Image, "image", cancellationToken);

        using var budget = WorkBudget.Start(limits.Value, cancellationToken);
        var clock = Stopwatch.StartNew();
        var decoded = await budget.Run(token => codec.DecodeAsync(bytes, gray, null, token));
        var decodeMs = clock.Elapsed.TotalMilliseconds;

        var filter = ImageFilter.Prepare(decoded.Width, decoded.Height, kernel, settings);
        var geometry = filter.Geometry;
        CheckOutputArea(geometry, limits.Value.MaxImagePixels, "ConvService:Limits:MaxImagePixels");
        RequestMemory.CheckFilter(limits.Value, decoded.Width, decoded.Height, decoded.Planes.Channels, geometry.OutWidth, geometry.OutHeight);
        clock.Restart();
        var filtered = budget.Run(token => filter.Run(decoded.Planes, token));
        var filterMs = clock.Elapsed.TotalMilliseconds;

        var formula = new AxisFormula(geometry.HeightFormula, geometry.WidthFormula);
        if (format == ImageOutputFormat.Json)
        {
            var timings = new FilterTimings(decodeMs, filterMs, 0);
            WriteTimings(http, diagnostics, timings, decoded.Width * (double)decoded.Height / 1e6);
            return TypedResults.Ok(new FilteredImageResponse(filtered.Width, filtered.Height, filtered.Channels, Interleave(filtered), formula, timings));
        }

        clock.Restart();
        var encoded = budget.Run(token => codec.Encode(filtered, format, scale, offset, token));
        WriteTimings(http, diagnostics, new FilterTimings(decodeMs, filterMs, clock.Elapsed.TotalMilliseconds), decoded.Width * (double)decoded.Height / 1e6);
        return TypedResults.File(encoded, OutputFormats.ContentType(format));
    }

    public static Ok<MatrixFilterResponse> FilterMatrix(MatrixFilterRequest request, IOptions<LimitsOptions> limits)
    {
        var image = ToImage(request.Input, limits.Value.MaxMatrixSize);
        var kernel = FilterParameters.Kernel(request.Kernel, null, request.Matrix, request.Size, request.Sigma, limits.Value.MaxKernelSize);
        var settings = FilterParameters.Settings(request.Op, request.Border, FilterParameters.ParsePadding(request.Padding), request.Stride, request.Fit);
        var filter = ImageFilter.Prepare(image.Width, image.Height, kernel, settings);
        var geometry = filter.Geometry;
        CheckOutputArea(geometry, (long)limits.Value.MaxMatrixSize * limits.Value.MaxMatrixSize, "ConvService:Limits:MaxMatrixSize, squared");
        var output = filter.Run(image);
        var rows = new float[output.Height][];
        for (var y = 0; y < output.Height; y++)
        {
            rows[y] = output.Plane(0).Slice(y * output.Width, output.Width).ToArray();
        }

        return TypedResults.Ok(new MatrixFilterResponse(
            rows,
            new OutputSize(output.Height, output.Width),
            new AxisFormula(geometry.HeightFormula, geometry.WidthFormula)));
    }

    /// <summary>
    /// Padding can make the output larger than the input (a pad equal to the side gives 9 times the area), so the
    /// output is bounded as the input is, before anything is allocated.
    /// </summary>
    private static void CheckOutputArea(OutputGeometry geometry, long limit, string option)
    {
        var area = (long)geometry.OutWidth * geometry.OutHeight;
        if (area > limit)
        {
            throw ConvServiceException.OverLimit(
                "Output too large",
                $"The output would be {geometry.OutWidth}x{geometry.OutHeight} = {area:N0} values per channel (height: {geometry.HeightFormula}; width: {geometry.WidthFormula}); the limit is {limit:N0} ({option}). Use a smaller pad or a larger stride.");
        }
    }

    private static Kernel2D LinearOperand(KernelOperand operand, int index, int maxKernelSize)
    {
        var kernel = FilterParameters.Kernel(operand.Kernel, null, operand.Matrix, operand.Size, operand.Sigma, maxKernelSize);
        return kernel is FilterKernel.Linear linear
            ? linear.Kernel
            : throw ConvServiceException.DoesNotFit(
                "Kernel is not linear",
                $"kernels[{index}] ({operand.Kernel}) is not a single linear kernel and cannot be composed; compose sobel-x or sobel-y instead.");
    }

    private static FloatImage ToImage(double[][]? input, int maxSize)
    {
        if (input is null || input.Length == 0 || input[0] is null || input[0].Length == 0)
        {
            throw ConvServiceException.InvalidInput("No input", "'input' must be a non-empty 2-D array of numbers, row by row.");
        }

        int height = input.Length, width = input[0].Length;
        if (height > maxSize || width > maxSize)
        {
            throw ConvServiceException.OverLimit(
                "Matrix too large",
                $"'input' is {height}x{width}; the limit is {maxSize}x{maxSize}. Upload large images to /api/filter instead.");
        }

        var image = new FloatImage(width, height, 1);
        for (var y = 0; y < height; y++)
        {
            var row = input[y];
            if (row is null || row.Length != width)
            {
                throw ConvServiceException.InvalidInput(
                    "Ragged input",
                    $"Row {y} of 'input' has {row?.Length ?? 0} values but row 0 has {width}: every row must have the same length.");
            }

            for (var x = 0; x < width; x++)
            {
                if (!double.IsFinite(row[x]))
                {
                    throw ConvServiceException.InvalidInput("Invalid input", $"'input' row {y}, column {x} is not a finite number.");
                }

                image[0, y, x] = (float)row[x];
            }
        }

        return image;
    }

    /// <summary>Planes to [height][width][channels], the order clients index pixels in.</summary>
    private static float[] Interleave(FloatImage image)
    {
        int channels = image.Channels, plane = image.PlaneSize;
        var data = new float[image.Data.Length];
        for (var c = 0; c < channels; c++)
        {
            var source = image.Plane(c);
            for (var i = 0; i < plane; i++)
            {
                data[i * channels + c] = source[i];
            }
        }

        return data;
    }

    /// <summary>Reports the split to the client (Server-Timing), to the request's log line and to /metrics.</summary>
    private static void WriteTimings(HttpContext http, IDiagnosticContext diagnostics, FilterTimings timings, double megapixels)
    {
        ServiceMetrics.RecordFilter(timings.DecodeMs, timings.FilterMs, timings.EncodeMs, megapixels);
        http.Response.Headers["Server-Timing"] = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"decode;dur={timings.DecodeMs:0.###}, filter;dur={timings.FilterMs:0.###}, encode;dur={timings.EncodeMs:0.###}");
        diagnostics.Set("DecodeMs", Math.Round(timings.DecodeMs, 2));
        diagnostics.Set("FilterMs", Math.Round(timings.FilterMs, 2));
        diagnostics.Set("EncodeMs", Math.Round(timings.EncodeMs, 2));
    }
}
