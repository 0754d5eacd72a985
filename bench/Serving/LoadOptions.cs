using System.Globalization;

namespace ConvService.Bench.Serving;

/// <summary>
/// Command line of the serving load test: <c>serving [--models a,b] [--clients 1,8,32] [--requests N] [--seconds S]
/// [--port P] [--batching true,false] [--root PATH] [--build false]</c>. <c>--root</c> serves another checkout (say, the
/// previous commit's, for a before/after comparison); <c>--build false</c> starts its Release build as it is.
/// </summary>
internal sealed record LoadOptions
{
    public string[] Models { get; init; } = ["lenet5-mnist", "resnet18-features"];

    public int[] Clients { get; init; } = [1, 8, 32];

    /// <summary>Most requests per run (each model, client count and batching setting).</summary>
    public int Requests { get; init; } = 2000;

    /// <summary>Most seconds per run; clients stop starting new requests after this.</summary>
    public double Seconds { get; init; } = 20;

    public int Port { get; init; } = 5187;

    public bool[] Batching { get; init; } = [true, false];

    /// <summary>The checkout whose service is started; null for the one the test runs in.</summary>
    public string? Root { get; init; }

    public bool Build { get; init; } = true;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--models" => options with { Models = value.Split(',') },
                "--clients" => options with { Clients = value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() },
                "--requests" => options with { Requests = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--port" => options with { Port = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batching" => options with { Batching = value.Split(',').Select(bool.Parse).ToArray() },
                "--root" => options with { Root = Path.GetFullPath(value) },
                "--build" => options with { Build = bool.Parse(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see docs/models.md."),
            };
        }

        return options;
    }
}
