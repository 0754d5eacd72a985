using BenchmarkDotNet.Attributes;
using ConvService.Inference.Onnx.Proto;
using ConvService.Inference.Operators.Pooling;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace ConvService.Bench.Kernels;

/// <summary>
/// The two pooling layers of ResNet-18 at 224x224 (its MaxPool pads only the top and left), our kernel against
/// ONNX Runtime 1.31.1 on one thread, each model at the ResNet-18 file's opset.
/// Run: dotnet run -c Release --project bench -- --filter '*PoolBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class PoolBenchmarks : IDisposable
{
    private PoolGeometry geometry;
    private int planes;
    private float[] input = [];
    private float[] output = [];
    private float[] ortOutput = [];
    private InferenceSession? session;
    private readonly RunOptions runOptions = new();
    private OrtValue[] ortInputs = [];
    private OrtValue[] ortOutputs = [];
    private readonly string[] inputNames = ["X"];
    private readonly string[] outputNames = ["Y"];

    [Params("MaxPool3x3s2_64x112x112", "AveragePool7x7_512x7x7")]
    public string Layer { get; set; } = "";

    [Params(SimdLevel.Vector512, SimdLevel.Vector256, SimdLevel.Vector128)]
    public SimdLevel Level { get; set; }

    private bool IsMax => Layer.StartsWith("Max", StringComparison.Ordinal);

    [GlobalSetup]
    public void Setup()
    {
        (geometry, planes) = IsMax
            ? (new PoolGeometry(112, 112, 56, 56, 3, 3, 2, 2, 1, 1, 0, 0), 64)
            : (new PoolGeometry(7, 7, 1, 1, 7, 7, 1, 1, 0, 0, 0, 0), 512);
        var random = new Random(42);
        input = [.. Enumerable.Range(0, planes * geometry.InHeight * geometry.InWidth).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        output = new float[planes * geometry.OutHeight * geometry.OutWidth];
        ortOutput = new float[output.Length];

        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(OnnxPoolModel.Build(geometry, planes, IsMax), options);
        ortInputs = [OrtValue.CreateTensorValueFromMemory(input, [1, planes, geometry.InHeight, geometry.InWidth])];
        ortOutputs = [OrtValue.CreateTensorValueFromMemory(ortOutput, [1, planes, geometry.OutHeight, geometry.OutWidth])];

        // A benchmark of a wrong kernel is worthless: refuse to time outputs that disagree.
        RunOurs();
        RunOnnxRuntime();
        for (var i = 0; i < output.Length; i++)
        {
            if (Math.Abs(output[i] - ortOutput[i]) > 1e-5f)
            {
                throw new InvalidOperationException($"{Layer}: output {i} is {output[i]}, ONNX Runtime says {ortOutput[i]}.");
            }
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var value in ortInputs.Concat(ortOutputs))
        {
            value.Dispose();
        }

        session?.Dispose();
        runOptions.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => RunOnnxRuntime();

    [Benchmark]
    public void ConvService() => RunOurs();

    private void RunOnnxRuntime() => session!.Run(runOptions, inputNames, ortInputs, outputNames, ortOutputs);

    private void RunOurs()
    {
        if (IsMax)
        {
            PoolKernel.Max(geometry, input, output, planes, Level);
        }
        else
        {
            PoolKernel.Average(geometry, input, output, planes, countIncludePad: false, Level);
        }
    }

    /// <summary>A one-node ONNX model (X -> MaxPool or AveragePool -> Y) built in memory.</summary>
    private static class OnnxPoolModel
    {
        public static byte[] Build(in PoolGeometry g, int channels, bool isMax)
        {
            var node = new NodeProto { OpType = isMax ? "MaxPool" : "AveragePool", Name = "pool" };
            node.Input.Add("X");
            node.Output.Add("Y");
            node.Attribute.Add(Ints("kernel_shape", g.KernelHeight, g.KernelWidth));
            node.Attribute.Add(Ints("strides", g.StrideH, g.StrideW));
            node.Attribute.Add(Ints("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight));

            var graph = new GraphProto { Name = "one_pool" };
            graph.Node.Add(node);
            graph.Input.Add(Value("X", 1, channels, g.InHeight, g.InWidth));
            graph.Output.Add(Value("Y", 1, channels, g.OutHeight, g.OutWidth));

            var model = new ModelProto { IrVersion = 8, ProducerName = "ConvService.Bench", Graph = graph };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 8 });
            return model.ToByteArray();
        }

        private static AttributeProto Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.Add(values);
            return attribute;
        }

        private static ValueInfoProto Value(string name, params long[] dims)
        {
            var shape = new TensorShapeProto();
            foreach (var d in dims)
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            };
        }
    }
}
