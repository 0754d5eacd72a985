namespace ConvService.Inference.Operators.Logic;

/// <summary>Comparisons, boolean operators and Where over broadcast float32 operands, element by element (see <see cref="LogicKind"/> for how booleans are held).</summary>
public static class LogicKernel
{
    public static void Run(LogicKind kind, BroadcastOdometer shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> output)
    {
        var rank = shape.OutputShape.Length;
        var sa = shape.Strides[0];
        var sb = shape.Strides.Length > 1 ? shape.Strides[1] : sa;
        var sc = shape.Strides.Length > 2 ? shape.Strides[2] : sa;
        Span<int> index = stackalloc int[Math.Max(1, rank)];
        index.Clear();
        int ia = 0, ib = 0, ic = 0;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = kind switch
            {
                LogicKind.Equal => a[ia] == b[ib] ? 1f : 0f,
                LogicKind.Less => a[ia] < b[ib] ? 1f : 0f,
                LogicKind.Greater => a[ia] > b[ib] ? 1f : 0f,
                LogicKind.LessOrEqual => a[ia] <= b[ib] ? 1f : 0f,
                LogicKind.GreaterOrEqual => a[ia] >= b[ib] ? 1f : 0f,
                LogicKind.And => a[ia] != 0f && b[ib] != 0f ? 1f : 0f,
                LogicKind.Or => a[ia] != 0f || b[ib] != 0f ? 1f : 0f,
                LogicKind.Xor => (a[ia] != 0f) != (b[ib] != 0f) ? 1f : 0f,
                LogicKind.Not => a[ia] == 0f ? 1f : 0f,
                _ => a[ia] != 0f ? b[ib] : c[ic],
            };

            for (var d = rank - 1; d >= 0; d--)
            {
                ia += sa[d];
                ib += sb[d];
                ic += sc[d];
                if (++index[d] < shape.OutputShape[d])
                {
                    break;
                }

                ia -= sa[d] * shape.OutputShape[d];
                ib -= sb[d] * shape.OutputShape[d];
                ic -= sc[d] * shape.OutputShape[d];
                index[d] = 0;
            }
        }
    }
}
