# Generates the unrolled register-blocked kernels: GemmMicroKernels.cs, ChannelVectorKernels.cs and
# DirectChannelVectorKernels.cs (args: the three paths).
import sys

def prologue(vec, accs, tile, bias_lines):
    """Declares the accumulators and starts them from the tile (accumulate), the bias, or zero; `tile` pairs each
    accumulator with its address, which the epilogue stores back to."""
    V = f"{vec}<float>"
    L = [f"        {V} " + ", ".join(accs) + ";", "        if (accumulate)", "        {"]
    L += [f"            {a} = {vec}.Load({address});" for a, address in tile]
    L += ["        }", "        else if (bias != null)", "        {"]
    L += [f"            {line}" for line in bias_lines]
    L += ["        }", "        else", "        {"]
    L += [f"            {a} = {V}.Zero;" for a in accs]
    L += ["        }", ""]
    return L

def epilogue(tile):
    return [f"        {a}.Store({address});" for a, address in tile] + ["    }"]

def kernel(name, vec, width, mr, nvec):
    L = []
    L.append(f"    /// <summary>{mr}x{nvec*width} tile: {mr*nvec} accumulators in registers, B read through a per-k offset table.</summary>")
    L.append("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    L.append(f"    public static void {name}(int kc, float* a, float* b, int* bOffsets, float* c, int ldc, float* bias, bool accumulate)")
    L.append("    {")
    accs = [f"c{i}{j}" for i in range(mr) for j in range(nvec)]
    tile = [(f"c{i}{j}", f"c + {i} * ldc + {j*width}") for i in range(mr) for j in range(nvec)]
    bias_lines = []
    for i in range(mr):
        bias_lines.append(f"c{i}0 = {vec}.Create(bias[{i}]);")
        bias_lines += [f"c{i}{j} = c{i}0;" for j in range(1, nvec)]
    L += prologue(vec, accs, tile, bias_lines)
    L.append("        for (var p = 0; p < kc; p++)")
    L.append("        {")
    L.append("            var bp = b + bOffsets[p];")
    for j in range(nvec):
        L.append(f"            var b{j} = {vec}.Load(bp + {j*width});")
    for i in range(mr):
        L.append(f"            var a{i} = {vec}.Create(a[{i}]);")
        for j in range(nvec):
            L.append(f"            c{i}{j} = {vec}.FusedMultiplyAdd(a{i}, b{j}, c{i}{j});")
    L.append(f"            a += {mr};")
    L.append("        }")
    L.append("")
    L += epilogue(tile)
    return "\n".join(L)

def transposed(name, vec, width, positions, nvec, in_place=False, rows=1, broadcasts_first=False):
    """Channel vectors of packed weights times broadcast inputs. Inputs come packed (b[p * positions + j]) or,
    in_place, straight from the layout through a per-k offset table (b[offsets[p] + j]); with rows=2 (in place) the
    tile is two output rows of `positions` each, the second row's inputs `pitch` floats further on and its
    positions after the first row's in the tile. broadcasts_first loads every position's input before the weights
    and meets each weight vector with all of them, for a tile whose weight vectors would not fit beside it."""
    assert not (broadcasts_first and rows == 2), "broadcasts_first reads one row's inputs"
    per_row = positions
    positions *= rows
    L = []
    if rows == 2:
        L.append(f"    /// <summary>Two rows of {per_row} positions x {nvec*width} channels, inputs broadcast straight from the layout.</summary>")
    elif in_place:
        L.append(f"    /// <summary>{positions} positions x {nvec*width} channels, inputs broadcast straight from the layout.</summary>")
    else:
        L.append(f"    /// <summary>{positions} positions x {nvec*width} channels: channel vectors of packed weights times broadcast inputs.</summary>")
    L.append("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    if rows == 2:
        L.append(f"    private static void {name}(int k, float* w, float* b, int pitch, int* offsets, float* bias, float* tile, bool accumulate)")
    elif in_place:
        L.append(f"    private static void {name}(int k, float* w, float* b, int* offsets, float* bias, float* tile, bool accumulate)")
    else:
        L.append(f"    public static void {name}(int k, float* w, float* b, float* bias, float* tile, bool accumulate)")
    L.append("    {")
    accs = [f"c{j}_{v}" for j in range(positions) for v in range(nvec)]
    tile = [(f"c{j}_{v}", f"tile + {j*nvec*width + v*width}") for j in range(positions) for v in range(nvec)]
    bias_lines = [f"c0_{v} = {vec}.Load(bias + {v*width});" for v in range(nvec)]
    bias_lines += [f"c{j}_{v} = c0_{v};" for j in range(1, positions) for v in range(nvec)]
    L += prologue(vec, accs, tile, bias_lines)
    L.append("        for (var p = 0; p < k; p++)")
    L.append("        {")
    source = "bp" if in_place else "b"
    if in_place:
        L.append("            var bp = b + offsets[p];")
    if rows == 2:
        L.append("            var bq = bp + pitch;")
    if broadcasts_first:
        # Every broadcast first, then one weight vector at a time against all of them: positions + 1 registers
        # besides the accumulators (AVX2's 16 hold 3 positions x 4 vectors this way).
        for j in range(positions):
            L.append(f"            var b{j} = {vec}.Create({source}[{j}]);")
        for v in range(nvec):
            L.append(f"            var w{v} = {vec}.Load(w + {v*width});")
            for j in range(positions):
                L.append(f"            c{j}_{v} = {vec}.FusedMultiplyAdd(w{v}, b{j}, c{j}_{v});")
    else:
        for v in range(nvec):
            L.append(f"            var w{v} = {vec}.Load(w + {v*width});")
        for j in range(positions):
            element = f"{source}[{j}]" if j < per_row else f"bq[{j - per_row}]"
            L.append(f"            var b{j} = {vec}.Create({element});")
            for v in range(nvec):
                L.append(f"            c{j}_{v} = {vec}.FusedMultiplyAdd(w{v}, b{j}, c{j}_{v});")
    L.append(f"            w += {nvec*width};")
    if not in_place:
        L.append(f"            b += {positions};")
    L.append("        }")
    L.append("")
    L += epilogue(tile)
    return "\n".join(L)

def dispatcher(name, prefix, most, rows=1):
    L = []
    pitch = ", int pitch" if rows == 2 else ""
    if rows == 2:
        L.append(f"    /// <summary>Runs the {prefix} kernel for two rows of 1 to {most} positions each, the second <paramref name=\"pitch\"/> floats after the first.</summary>")
    else:
        L.append(f"    /// <summary>Runs the {prefix} kernel for a tile of 1 to {most} positions.</summary>")
    L.append(f"    public static void {name}(int positions, int k, float* w, float* b{pitch}, int* offsets, float* bias, float* tile, bool accumulate)")
    L.append("    {")
    L.append("        switch (positions)")
    L.append("        {")
    for n in range(1, most + 1):
        L.append(f"            case {n}:")
        L.append(f"                {prefix}x{n}(k, w, b{', pitch' if rows == 2 else ''}, offsets, bias, tile, accumulate);")
        L.append("                break;")
    L.append("            default:")
    holds = f"two rows of 1 to {most} positions" if rows == 2 else f"1 to {most} positions"
    L.append(f"                throw new ArgumentOutOfRangeException(nameof(positions), positions, \"A {prefix} tile holds {holds}.\");")
    L.append("        }")
    L.append("    }")
    return "\n".join(L)

out = []
out.append("// <auto-generated> by tools/gen_microkernels.py: edit the generator, not this file. </auto-generated>")
out.append("using System.Runtime.CompilerServices;")
out.append("using System.Runtime.Intrinsics;")
out.append("")
out.append("namespace ConvService.Inference.Kernels.Gemm;")
out.append("")
out.append("/// <summary>")
out.append("/// The innermost GEMM loops: C[MR x NR] (=|+=) packedA[MR x kc] * B[kc x NR]. Packed A holds MR values per k;")
out.append("/// row p of B starts at b + bOffsets[p], which lets convolutions read shifted input rows without an im2col copy.")
out.append("/// Without accumulate the tile starts from the bias (per row) or zero. The caller guarantees full tiles in range.")
out.append("/// </summary>")
out.append("internal static unsafe class GemmMicroKernels")
out.append("{")
out.append(kernel("Kernel512", "Vector512", 16, 8, 2))
out.append("")
out.append(kernel("Kernel256", "Vector256", 8, 6, 2))
out.append("")
out.append(kernel("Kernel128", "Vector128", 4, 6, 2))
out.append("}")
open(sys.argv[1], "w").write("\n".join(out) + "\n")

out = out[:6]
out[4] = "namespace ConvService.Inference.Kernels.Conv;"
out.append("/// <summary>")
out.append("/// Transposed tiles for small images: tile[position][channel] = (accumulate ? tile : bias) + sum_p w[p][channel] * b[p][position], with")
out.append("/// packed weights holding a channel vector per k and packed inputs a few positions per k. Every output position")
out.append("/// is useful work (no junk columns, no 32-wide column tail), which matters when an image has 49 positions.")
out.append("/// </summary>")
out.append("internal static unsafe class ChannelVectorKernels")
out.append("{")
out.append(transposed("Kernel512", "Vector512", 16, 14, 2))
out.append("")
out.append(transposed("Kernel256", "Vector256", 8, 6, 2))
out.append("")
out.append(transposed("Kernel128", "Vector128", 4, 6, 2))
out.append("}")
open(sys.argv[2], "w").write("\n".join(out) + "\n")

# Most positions of a direct tile at each width (the C# constants, the dispatchers and the tiles all follow them);
# at Vector512 two rows of at most half as many go in one tile.
MOST512, MOST256, MOST128 = 14, 3, 6

out = out[:6]
out.append("/// <summary>")
out.append("/// Direct convolution tiles: tile[position][channel] = (accumulate ? tile : bias) + sum_p w[p][channel] * b[offsets[p] + position],")
out.append("/// with packed weights holding a channel vector per k and the inputs read in place from the phase layout, where")
out.append("/// the positions of one output row segment are consecutive for every tap: no gather, no junk columns.")
out.append("/// </summary>")
out.append("internal static unsafe class DirectChannelVectorKernels")
out.append("{")
out.append("    /// <summary>Most positions of a tile: 14 x 2 accumulators plus 2 weights and a broadcast fill AVX-512's 32 registers.</summary>")
out.append(f"    public const int MostPositions512 = {MOST512};")
out.append("")
out.append("    /// <summary>")
out.append("    /// AVX2's 16 registers: 3 positions x 4 vectors (32 channels) of accumulators, the 3 broadcasts, and one weight")
out.append("    /// vector at a time, which meets all three: 7 loads for 12 multiply-adds, where 6 x 2 needed 8 for 12 and a 7-wide")
out.append("    /// row split into tiles of 4 and 3 positions (8 and 6 accumulators, too few to hide the FMA latency).")
out.append("    /// </summary>")
out.append(f"    public const int MostPositions256 = {MOST256};")
out.append("")
out.append("    /// <summary>Sized for x86's 16 vector registers, so the one Vector128 shape also fits there (ARM64 has 32).</summary>")
out.append(f"    public const int MostPositions128 = {MOST128};")
out.append("")
out.append(dispatcher("Run512", "Tile512", MOST512))
out.append("")
out.append(dispatcher("Run256", "Tile256", MOST256))
out.append("")
out.append(dispatcher("Run128", "Tile128", MOST128))
out.append("")
out.append(dispatcher("RunTwoRows512", "TwoRows512", MOST512 // 2, rows=2))
for n in range(1, MOST512 + 1):
    out.append("")
    out.append(transposed(f"Tile512x{n}", "Vector512", 16, n, 2, in_place=True))
for n in range(1, MOST512 // 2 + 1):
    out.append("")
    out.append(transposed(f"TwoRows512x{n}", "Vector512", 16, n, 2, in_place=True, rows=2))
for n in range(1, MOST256 + 1):
    out.append("")
    out.append(transposed(f"Tile256x{n}", "Vector256", 8, n, 4, in_place=True, broadcasts_first=True))
for n in range(1, MOST128 + 1):
    out.append("")
    out.append(transposed(f"Tile128x{n}", "Vector128", 4, n, 2, in_place=True))
out.append("}")
open(sys.argv[3], "w").write("\n".join(out) + "\n")
