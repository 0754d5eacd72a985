using System.Buffers;

namespace ConvService.Inference.Engine;

/// <summary>
/// Where sessions get their activation buffers. Shared across models so a service that opens and closes sessions
/// reuses the same large arrays instead of churning the large-object heap.
/// </summary>
public static class BufferPool
{
    private static readonly ArrayPool<float> Pool = ArrayPool<float>.Create(maxArrayLength: 1 << 30, maxArraysPerBucket: 16);

    public static float[] Rent(int length) => length == 0 ? [] : Pool.Rent(length);

    public static void Return(float[] buffer)
    {
        if (buffer.Length > 0)
        {
            Pool.Return(buffer);
        }
    }
}
