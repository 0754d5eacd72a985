using System.Text.Json;
using ConvService.Api.Filters;
using ConvService.Api.Images;
using ConvService.Api.Infrastructure;
using ConvService.Contracts.Filters;
using ConvService.Inference.Errors;
using ConvService.Inference.FilterBanks;
using ConvService.Inference.Filters;
using ConvService.Inference.Visualization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Apis;

/// <summary>Texture filter banks (Leung-Malik, Schmid, MR8): their filters as pictures, and an image's responses.</summary>
public static class FilterBanksApi
{
    /// <summary>Response header describing the tile grid: columns, rows, tile size and each tile's name.</summary>
    public const string LayoutHeader = "X-Tile-Layout";

    public static IEndpointRouteBuilder MapFilterBanksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/filter").WithTags("Filter banks");

        api.MapGet("/banks", ListBanks)
            .WithName("ListFilterBanks")
            .WithSummary("The filter banks (lm, s, mr8) with their filters and responses.");

        api.MapGet("/banks/{name}/image", BankImage)
            .WithName("FilterBankImage")
            .WithSummary("Every filter of a bank as one PNG grid of tiles; the X-Tile-Layout header names the tiles.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/bank", FilterWithBank)
            .RequireRateLimiting(ImageWorkLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("FilterWithBank")
            .WithSummary("Filter an image with a whole bank: a PNG grid of responses (X-Tile-Layout header) or JSON statistics per response.")
            .DisableAntiforgery()
            .Accepts<BankForm>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Produces<FilterBankStatistics>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    public static Ok<FilterBankDescription[]> ListBanks() =>
        TypedResults.Ok(FilterBanks.All.Select(Describe).ToArray());

    public static IResult BankImage(string name, ImageCodec codec, HttpContext http)
    {
        var bank = FindBank(name, ErrorKind.NotFound);
        var kernels = bank.Filters.Select(f => (ReadOnlyMemory<float>)f.Kernel.Values).ToList();
        var first = bank.Filters[0].Kernel;
        var grid = TileGrid.Render(kernels, first.Cols, first.Rows, columns: ColumnsFor(bank));
        WriteLayout(http, TileGrid.Layout(kernels.Count, first.Cols, first.Rows, ColumnsFor(bank)), bank.Filters.Select(f => f.Name));
        return TypedResults.File(codec.Encode(grid, ImageOutputFormat.Png), "image/png");
    }

    public static async Task<IResult> FilterWithBank(
        [FromForm] BankForm form,
        ImageCodec codec,
        IOptions<LimitsOptions> limits,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var bank = FindBank(form.Bank, ErrorKind.InvalidInput);
        var format = OutputFormats.Parse(form.Format);
        if (format == ImageOutputFormat.Jpeg)
        {
            throw ConvServiceException.InvalidInput("Invalid format", "A bank answers png (a grid of responses) or json (statistics per response).");
        }

        var bytes = await Uploads.ReadAsync(form.Image, "image", cancellationToken);
        using var budget = WorkBudget.Start(limits.Value, cancellationToken);
        var decoded = await budget.Run(token => codec.DecodeAsync(bytes, gray: true, limits.Value.MaxBankImageSide, token));
        var responses = budget.Run(token => bank.Respond(
            decoded.Planes,
            (image, kernel) => ImageFilter.Apply(image, new FilterKernel.Linear(kernel), new FilterSettings(Border: BorderMode.Reflect101), token)));

        if (format == ImageOutputFormat.Json)
        {
            return TypedResults.Ok(new FilterBankStatistics(
                bank.Name,
                decoded.Width,
                decoded.Height,
                responses.Select(r => new Contracts.Filters.ResponseStatistics(r.Name, r.Mean, r.Std, r.Energy)).ToArray()));
        }

        var maps = responses.Select(r => (ReadOnlyMemory<float>)r.Response.Data).ToList();
        var grid = TileGrid.Render(maps, decoded.Width, decoded.Height, ColumnsFor(bank));
        WriteLayout(http, TileGrid.Layout(maps.Count, decoded.Width, decoded.Height, ColumnsFor(bank)), responses.Select(r => r.Name));
        return TypedResults.File(codec.Encode(grid, ImageOutputFormat.Png), "image/png");
    }

    private static FilterBank FindBank(string? name, ErrorKind kind)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ConvServiceException.InvalidInput("No bank", "Give 'bank': lm (Leung-Malik), s (Schmid) or mr8 (maximum response).");
        }

        try
        {
            return FilterBanks.Get(name.Trim().ToLowerInvariant());
        }
        catch (ConvServiceException e) when (kind == ErrorKind.NotFound)
        {
            throw new ConvServiceException(ErrorKind.NotFound, e.Title, e.Message, e.Extensions);
        }
    }

    /// <summary>Rows of orientations for the oriented banks, so the grid reads like the published figures.</summary>
    private static int? ColumnsFor(FilterBank bank) => bank.Name switch
    {
        "lm" => 12,
        "mr8" => 8,
        _ => null,
    };

    private static FilterBankDescription Describe(FilterBank bank) => new(
        bank.Name,
        bank.DisplayName,
        bank.Description,
        bank.Filters.Select(f => f.Name).ToArray(),
        bank.ResponseNames,
        $"/api/filter/banks/{bank.Name}/image");

    private static void WriteLayout(HttpContext http, TileLayout layout, IEnumerable<string> names) =>
        http.Response.Headers[LayoutHeader] = JsonSerializer.Serialize(new
        {
            columns = layout.Columns,
            rows = layout.Rows,
            tileWidth = layout.TileWidth,
            tileHeight = layout.TileHeight,
            gap = layout.Gap,
            tiles = names,
        });
}
