using System.Runtime.InteropServices;
using ConvService.Inference.Engine;
using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Onnx.Proto;

namespace ConvService.Inference.Onnx;

/// <summary>Turns a TensorProto into a <see cref="ConstantTensor"/>, checking size claims before allocating anything.</summary>
internal static class TensorReader
{
    /// <summary>Returns null (after recording why) when the tensor is unusable.</summary>
    public static ConstantTensor? Read(TensorProto tensor, string what, EngineOptions options, ModelProblems problems)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            problems.Add($"{what} stores its data in an external file; external data is never read. Re-export the model with all weights embedded (e.g. onnx.save(model, path, save_as_external_data=False)).");
            return null;
        }

        var dims = new int[tensor.Dims.Count];
        long count = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            var d = tensor.Dims[i];
            if (d < 0 || d > options.MaxElementsPerTensor || (d > 0 && count > options.MaxElementsPerTensor / d))
            {
                problems.Add($"{what} claims dimensions [{string.Join(", ", tensor.Dims)}], more than the limit of {options.MaxElementsPerTensor} elements per tensor (or a negative size). Use a smaller model or raise the limit.");
                return null;
            }

            dims[i] = (int)d;
            count *= d;
        }

        var n = (int)count;
        var raw = tensor.RawData.Span;
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Float:
                if (!raw.IsEmpty)
                {
                    return Sized(raw.Length, (long)n * 4, what, problems)
                        ? ConstantTensor.OfFloats(dims, MemoryMarshal.Cast<byte, float>(raw).ToArray())
                        : null;
                }

                return Sized(tensor.FloatData.Count, n, what, problems) ? ConstantTensor.OfFloats(dims, [.. tensor.FloatData]) : null;
            case TensorProto.Types.DataType.Double:
                if (!raw.IsEmpty)
                {
                    return Sized(raw.Length, (long)n * 8, what, problems)
                        ? ConstantTensor.OfFloats(dims, Array.ConvertAll(MemoryMarshal.Cast<byte, double>(raw).ToArray(), v => (float)v))
                        : null;
                }

                return Sized(tensor.DoubleData.Count, n, what, problems) ? ConstantTensor.OfFloats(dims, tensor.DoubleData.Select(v => (float)v).ToArray()) : null;
            case TensorProto.Types.DataType.Int64:
                if (!raw.IsEmpty)
                {
                    return Sized(raw.Length, (long)n * 8, what, problems) ? ConstantTensor.OfIntegers(dims, MemoryMarshal.Cast<byte, long>(raw).ToArray()) : null;
                }

                return Sized(tensor.Int64Data.Count, n, what, problems) ? ConstantTensor.OfIntegers(dims, [.. tensor.Int64Data]) : null;
            case TensorProto.Types.DataType.Int32:
                if (!raw.IsEmpty)
                {
                    return Sized(raw.Length, (long)n * 4, what, problems)
                        ? ConstantTensor.OfIntegers(dims, Array.ConvertAll(MemoryMarshal.Cast<byte, int>(raw).ToArray(), v => (long)v))
                        : null;
                }

                return Sized(tensor.Int32Data.Count, n, what, problems) ? ConstantTensor.OfIntegers(dims, tensor.Int32Data.Select(v => (long)v).ToArray()) : null;
            default:
                problems.Add($"{what} has element type {(TensorProto.Types.DataType)tensor.DataType}; only FLOAT, DOUBLE, INT64 and INT32 constants are supported. Convert the model's weights to float32.");
                return null;
        }
    }

    private static bool Sized(long actual, long expected, string what, ModelProblems problems)
    {
        if (actual == expected)
        {
            return true;
        }

        problems.Add($"{what} holds {actual} values (or bytes) but its dimensions need {expected}. The file is corrupt or was edited by hand; re-export it.");
        return false;
    }
}
