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
            case TensorProto.Types.DataType.Bool or TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8
                or TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 or TensorProto.Types.DataType.Uint32 or TensorProto.Types.DataType.Uint64:
                return SmallIntegers((TensorProto.Types.DataType)tensor.DataType, tensor, dims, n, what, problems);
            case TensorProto.Types.DataType.Float16:
                if (!raw.IsEmpty)
                {
                    return Sized(raw.Length, (long)n * 2, what, problems)
                        ? ConstantTensor.OfFloats(dims, Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(raw).ToArray(), v => (float)v))
                        : null;
                }

                // Without raw data, each half's bits sit in the low 16 bits of an int32_data entry.
                return Sized(tensor.Int32Data.Count, n, what, problems)
                    ? ConstantTensor.OfFloats(dims, tensor.Int32Data.Select(v => (float)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray())
                    : null;
            default:
                problems.Add($"{what} has element type {(TensorProto.Types.DataType)tensor.DataType}; only numeric and boolean constants are supported. Convert the model's weights to float32.");
                return null;
        }
    }

    /// <summary>Booleans and the narrower or unsigned integer types, held as 64-bit integers (booleans as 0 and 1).</summary>
    private static ConstantTensor? SmallIntegers(TensorProto.Types.DataType type, TensorProto tensor, int[] dims, int n, string what, ModelProblems problems)
    {
        var raw = tensor.RawData.Span;
        if (!raw.IsEmpty)
        {
            var width = type switch
            {
                TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 => 2,
                TensorProto.Types.DataType.Uint32 => 4,
                TensorProto.Types.DataType.Uint64 => 8,
                _ => 1,
            };
            if (!Sized(raw.Length, (long)n * width, what, problems))
            {
                return null;
            }

            long[] values = type switch
            {
                TensorProto.Types.DataType.Bool => raw.ToArray().Select(b => b != 0 ? 1L : 0L).ToArray(),
                TensorProto.Types.DataType.Int8 => MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(v => (long)v).ToArray(),
                TensorProto.Types.DataType.Uint8 => raw.ToArray().Select(v => (long)v).ToArray(),
                TensorProto.Types.DataType.Int16 => MemoryMarshal.Cast<byte, short>(raw).ToArray().Select(v => (long)v).ToArray(),
                TensorProto.Types.DataType.Uint16 => MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(v => (long)v).ToArray(),
                TensorProto.Types.DataType.Uint32 => MemoryMarshal.Cast<byte, uint>(raw).ToArray().Select(v => (long)v).ToArray(),
                _ => MemoryMarshal.Cast<byte, ulong>(raw).ToArray().Select(v => unchecked((long)v)).ToArray(),
            };
            return ConstantTensor.OfIntegers(dims, values);
        }

        // Without raw data, uint32 and uint64 use uint64_data; the others one int32_data entry per element.
        if (type is TensorProto.Types.DataType.Uint32 or TensorProto.Types.DataType.Uint64)
        {
            return Sized(tensor.Uint64Data.Count, n, what, problems) ? ConstantTensor.OfIntegers(dims, tensor.Uint64Data.Select(v => unchecked((long)v)).ToArray()) : null;
        }

        return Sized(tensor.Int32Data.Count, n, what, problems)
            ? ConstantTensor.OfIntegers(dims, tensor.Int32Data.Select(v => type == TensorProto.Types.DataType.Bool ? (v != 0 ? 1L : 0L) : v).ToArray())
            : null;
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
