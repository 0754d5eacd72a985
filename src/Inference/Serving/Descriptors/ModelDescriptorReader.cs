using System.Text.Json;
using ConvService.Inference.Engine;

namespace ConvService.Inference.Serving.Descriptors;

/// <summary>Reads model.json and checks it against itself and against the loaded graph, collecting every problem.</summary>
public static class ModelDescriptorReader
{
    public const string FileName = "model.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    public static ModelDescriptor? Parse(ReadOnlySpan<byte> utf8, List<string> problems)
    {
        // The reader checks UTF-8 only inside the strings it reads, and then throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            problems.Add("model.json is not valid UTF-8: save it as UTF-8 encoded JSON.");
            return null;
        }

        try
        {
            var descriptor = JsonSerializer.Deserialize<ModelDescriptor>(utf8, Json);
            if (descriptor is null)
            {
                problems.Add("model.json is empty or null: give a JSON object with task, input and preprocessing.");
            }

            return descriptor;
        }
        catch (JsonException e)
        {
            problems.Add($"model.json is not valid: {e.Message} Fix the JSON (see models/lenet5-mnist/model.json for an example).");
            return null;
        }
    }

    public static byte[] Serialize(ModelDescriptor descriptor) => JsonSerializer.SerializeToUtf8Bytes(descriptor, Json);

    /// <summary>A descriptor for a model uploaded without one: input size from the graph, pixels scaled to 0..1, class indices as labels.</summary>
    public static ModelDescriptor Default(string name, CompiledModel model)
    {
        var input = model.Inputs[0];
        var shape = input.Shape;
        var outputs = Math.Max(0, model.Outputs[0].ElementsPerImage);
        return new ModelDescriptor
        {
            Name = name,
            DisplayName = name,
            Task = ModelTasks.Classify,
            Input = new InputDescriptor
            {
                Name = input.Name,
                Channels = shape.Count > 1 ? shape[1] : 1,
                Height = SizeOf(shape, 2, ResizeModes.Stretch),
                Width = SizeOf(shape, 3, ResizeModes.Stretch),
            },
            Preprocessing = new PreprocessingDescriptor { Grayscale = shape.Count > 1 && shape[1] == 1, Scale = 1f / 255f },
            Labels = outputs <= MaxDerivedLabels
                ? Enumerable.Range(0, outputs).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
                : [],
        };
    }

    /// <summary>
    /// Index labels are written for at most this many outputs (ImageNet's 1,000 classes fit): a model whose output
    /// is an image or a feature map would otherwise get millions of labels in its model.json and model listing.
    /// Predictions without a label show the index.
    /// </summary>
    public const int MaxDerivedLabels = 1000;

    /// <summary>Fills what the descriptor leaves open from the graph (input name and size) so later code never guesses.</summary>
    public static ModelDescriptor Complete(ModelDescriptor descriptor, string name, CompiledModel model)
    {
        var graphInput = model.Inputs.FirstOrDefault(i => i.Name == descriptor.Input.Name) ?? model.Inputs[0];
        var shape = graphInput.Shape;
        var input = descriptor.Input with
        {
            Name = graphInput.Name,
            Channels = descriptor.Input.Channels > 0 ? descriptor.Input.Channels : shape.Count > 1 ? shape[1] : 1,
            Height = descriptor.Input.Height > 0 ? descriptor.Input.Height : SizeOf(shape, 2, descriptor.Preprocessing.Resize),
            Width = descriptor.Input.Width > 0 ? descriptor.Input.Width : SizeOf(shape, 3, descriptor.Preprocessing.Resize),
        };
        return descriptor with { Name = name, DisplayName = descriptor.DisplayName ?? name, Input = input };
    }

    /// <summary>One [N, C, H, W] input: what predict, embed and activations feed an uploaded image to.</summary>
    public static bool IsImageModel(CompiledModel model) => model.Inputs.Count == 1 && model.Inputs[0].Shape.Count == 4;

    /// <summary>
    /// The image size along a dimension when model.json leaves it out: the graph's, or for an open dimension 0 (keep
    /// the upload's size) under resize "none" and the engine's listing size otherwise.
    /// </summary>
    private static int SizeOf(IReadOnlyList<int> shape, int dimension, string resize) =>
        shape.Count <= dimension ? 1 : shape[dimension] > 0 ? shape[dimension] : resize == ResizeModes.None ? 0 : CompiledModel.ListingSize;

    /// <summary>Every way the descriptor disagrees with itself or with the graph, each with its fix.</summary>
    public static void Check(ModelDescriptor d, CompiledModel model, List<string> problems)
    {
        if (!ModelTasks.All.Contains(d.Task))
        {
            problems.Add($"model.json task '{d.Task}' is unknown: use one of {string.Join(", ", ModelTasks.All)}.");
        }

        var p = d.Preprocessing;
        if (!ResizeModes.All.Contains(p.Resize))
        {
            problems.Add($"model.json preprocessing.resize '{p.Resize}' is unknown: use one of {string.Join(", ", ResizeModes.All)}.");
        }

        if (!InvertModes.All.Contains(p.Invert))
        {
            problems.Add($"model.json preprocessing.invert '{p.Invert}' is unknown: use one of {string.Join(", ", InvertModes.All)}.");
        }

        if (p.ChannelOrder is not ("RGB" or "BGR"))
        {
            problems.Add($"model.json preprocessing.channelOrder '{p.ChannelOrder}' is unknown: use RGB or BGR.");
        }

        if (!float.IsFinite(p.Scale) || p.Scale == 0)
        {
            problems.Add("model.json preprocessing.scale must be a finite non-zero number (1/255 maps pixels to 0..1).");
        }

        if (p.Std.Any(s => !float.IsFinite(s) || s == 0) || p.Mean.Any(m => !float.IsFinite(m)))
        {
            problems.Add("model.json preprocessing.mean must be finite and std finite and non-zero.");
        }

        if (p.ResizeTo is < 1 or > 4096)
        {
            problems.Add($"model.json preprocessing.resizeTo {p.ResizeTo} is outside 1..4096.");
        }

        if (p.Graph is not null && !ModelNames.IsValidFileName(p.Graph))
        {
            problems.Add($"model.json preprocessing.graph '{p.Graph}' must be a plain file name in the model folder (letters, digits, '.', '_', '-').");
        }

        if (d.Input.Layout != "NCHW")
        {
            problems.Add($"model.json input.layout '{d.Input.Layout}' is not served: export the model with NCHW input.");
        }

        // Models with several inputs, or an input that is not an image, are served as tensors (/v2) only.
        if (!IsImageModel(model))
        {
            return;
        }

        var shape = model.Inputs[0].Shape;
        if (d.Input.Name is { } inputName && inputName != model.Inputs[0].Name)
        {
            problems.Add($"model.json input.name '{inputName}' is not the graph's input '{model.Inputs[0].Name}': fix the name or leave it out.");
        }

        if ((d.Input.Channels > 0 && d.Input.Channels != shape[1]) || (d.Input.Height > 0 && shape[2] > 0 && d.Input.Height != shape[2]) || (d.Input.Width > 0 && shape[3] > 0 && d.Input.Width != shape[3]))
        {
            problems.Add($"model.json input is {d.Input.Channels}x{d.Input.Height}x{d.Input.Width} but the graph expects {shape[1]}x{shape[2]}x{shape[3]} (CxHxW, -1 = any): make them agree.");
        }

        if ((d.Input.Height <= 0 || d.Input.Width <= 0) && (shape[2] > 0 || shape[3] > 0 || p.Resize != ResizeModes.None || p.Graph is not null))
        {
            problems.Add("model.json leaves the input size open, which only a model with open height and width, resize \"none\" and no preprocessing graph allows: give input.height and input.width.");
        }

        if (shape[1] is not (1 or 3))
        {
            problems.Add($"The graph input has {shape[1]} channels; image models need 1 (gray) or 3 (colour).");
        }

        var channels = shape[1];
        if (p.Mean.Count is not 1 && p.Mean.Count != channels || p.Std.Count is not 1 && p.Std.Count != channels)
        {
            problems.Add($"model.json preprocessing.mean and std need 1 or {channels} values (one per channel).");
        }

        var outputs = model.Outputs[0].ElementsPerImage;
        if (d.Labels.Count > 0 && outputs >= 0 && d.Labels.Count != outputs)
        {
            problems.Add($"model.json has {d.Labels.Count} labels but the graph's output '{model.Outputs[0].Name}' has {outputs} values per image: give one label per output.");
        }
    }
}
