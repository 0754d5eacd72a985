using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;

namespace ConvService.Inference.Engine.Planning;

/// <summary>What an operator planner sees of one node: its inputs' shapes and constants, and ways to define outputs and steps.</summary>
internal sealed class NodeContext(PlanBuilder builder, GraphNode node)
{
    private Dictionary<int, PlannedValue>? replacedInputs;

    public GraphNode Node { get; } = node;

    public NodeAttributes Attributes => Node.Attributes;

    public int Opset => builder.Graph.Opset;

    public EngineOptions Options => builder.Options;

    public Dictionary<GraphNode, Kernels.Conv.ConvPlan> ConvPlans => builder.ConvPlans;

    /// <summary>The batch the plan is built for; dimension 0 of the graph inputs.</summary>
    public int Batch => builder.Batch;

    /// <summary>The batch the model file fixes (1 when symbolic); constant reshape targets may spell it out.</summary>
    public int DeclaredBatch => builder.Graph.Inputs.Count > 0 && builder.Graph.Inputs[0].Dims[0] >= 0 ? builder.Graph.Inputs[0].Dims[0] : 1;

    public int InputCount => Node.Inputs.Length;

    public bool Has(int index) => Node.HasInput(index);

    public PlannedValue Input(int index) =>
        replacedInputs is not null && replacedInputs.TryGetValue(index, out var replaced) ? replaced
        : Has(index) ? builder.Values[Node.Inputs[index]] : throw Fail($"input {index} is missing");

    /// <summary>Shows the planners another view of an input (a legacy-broadcast operand reshaped to numpy rules).</summary>
    public void ReplaceInput(int index, int[] shape)
    {
        var value = Input(index);
        var name = $"{Node.Name}::input {index} as {TensorShape.Format(shape)}";
        if (value.Constant is { } constant)
        {
            builder.DefineConstant(name, constant.Floats is { } f ? ConstantTensor.OfFloats(shape, f) : ConstantTensor.OfIntegers(shape, constant.Integers!));
        }
        else
        {
            builder.DefineAlias(name, value.Slot, shape);
        }

        (replacedInputs ??= [])[index] = builder.Values[name];
    }

    public int[] Shape(int index) => Input(index).Shape;

    public ConstantTensor? Constant(int index) => Has(index) ? Input(index).Constant : null;

    public ConstantTensor RequireConstant(int index, string what) =>
        Constant(index) ?? throw Fail($"{what} (input {index}, '{Node.Inputs[index]}') must be a constant (an initializer or computed from shapes only)");

    /// <summary>The runtime slot of an input; constants are materialised as a constant operand instead.</summary>
    public int Slot(int index)
    {
        var value = Input(index);
        if (value.IsConstant)
        {
            throw Fail($"input {index} ('{Node.Inputs[index]}') is a constant where a runtime tensor is expected");
        }

        builder.MarkRead(value.Slot);
        return value.Slot;
    }

    public Operand Operand(int index)
    {
        var value = Input(index);
        if (value.Constant is { } constant)
        {
            return Steps.Operand.OfConstant(constant.AsFloats());
        }

        builder.MarkRead(value.Slot);
        return Steps.Operand.OfSlot(value.Slot);
    }

    public int Output(int index, int[] shape) => builder.DefineRuntime(Node.Outputs[index], shape);

    /// <summary>A runtime tensor only this node's own steps write and read (an intermediate of a fused node).</summary>
    public int Temporary(string what, int[] shape)
    {
        var slot = builder.DefineRuntime($"{Node.Name}::{what}", shape);
        builder.MarkRead(slot);
        return slot;
    }

    public void OutputConstant(int index, ConstantTensor value) => builder.DefineConstant(Node.Outputs[index], value);

    /// <summary>The output shares the input's buffer (Reshape, Flatten, Identity...): no step, no copy.</summary>
    public void Alias(int outputIndex, int inputIndex, int[] shape)
    {
        var value = Input(inputIndex);
        if (value.Constant is { } constant)
        {
            builder.DefineConstant(Node.Outputs[outputIndex], constant.Floats is { } f ? ConstantTensor.OfFloats(shape, f) : ConstantTensor.OfIntegers(shape, constant.Integers!));
            return;
        }

        builder.MarkRead(value.Slot);
        builder.DefineAlias(Node.Outputs[outputIndex], value.Slot, shape);
    }

    public void AddStep(Step step, long parameterCount = 0, long multiplyAccumulates = 0) => builder.AddStep(step, parameterCount, multiplyAccumulates);

    public bool OutputUsed(int index) => index < Node.Outputs.Length && Node.Outputs[index].Length > 0;

    public PlanningException Fail(string message) => new(message);

    /// <summary>Resolves a possibly negative axis against a rank.</summary>
    public int Axis(long axis, int rank)
    {
        var resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
        {
            throw Fail($"axis {axis} is outside a tensor of rank {rank}");
        }

        return (int)resolved;
    }

    /// <summary>Integers from an input (newer opsets) or an attribute (older ones), whichever the node uses.</summary>
    public long[]? IntegersFromInputOrAttribute(int inputIndex, string attribute)
    {
        if (Has(inputIndex))
        {
            return RequireConstant(inputIndex, attribute).AsIntegers();
        }

        return Attributes.Ints(attribute);
    }
}
