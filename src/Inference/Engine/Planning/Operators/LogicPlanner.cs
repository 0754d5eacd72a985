using ConvService.Inference.Engine.Graph;
using ConvService.Inference.Engine.Steps;
using ConvService.Inference.Operators.Logic;

namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>
/// Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor, Not and Where with numpy broadcasting. Boolean
/// results are float32 tensors of 0 and 1 (see <see cref="LogicKind"/>); all-constant nodes fold at load.
/// </summary>
internal static class LogicPlanner
{
    public static void Plan(NodeContext context)
    {
        var kind = Enum.Parse<LogicKind>(context.Node.OpType);
        var arity = kind switch { LogicKind.Not => 1, LogicKind.Where => 3, _ => 2 };
        if (context.InputCount != arity)
        {
            throw context.Fail($"{context.Node.OpType} takes {arity} inputs");
        }

        var shapes = Enumerable.Range(0, arity).Select(context.Shape).ToArray();
        var shape = BroadcastOdometer.Shape(shapes) ?? throw context.Fail($"shapes {string.Join(", ", shapes.Select(s => TensorShape.Format(s)))} do not broadcast");
        var odometer = new BroadcastOdometer(shape, shapes);
        if (Enumerable.Range(0, arity).All(i => context.Constant(i) is not null))
        {
            var values = new float[TensorShape.Elements(shape)];
            var constants = Enumerable.Range(0, arity).Select(i => context.Constant(i)!).ToArray();
            LogicKernel.Run(kind, odometer, constants[0].AsFloats(), arity > 1 ? constants[1].AsFloats() : default, arity > 2 ? constants[2].AsFloats() : default, values);
            var integers = kind != LogicKind.Where || (constants[1].Integers is not null && constants[2].Integers is not null);
            context.OutputConstant(0, integers ? ConstantTensor.OfIntegers(shape, Array.ConvertAll(values, v => (long)v)) : ConstantTensor.OfFloats(shape, values));
            return;
        }

        var operands = Enumerable.Range(0, arity).Select(context.Operand).ToArray();
        var output = context.Output(0, shape);
        context.AddStep(new LogicStep(kind, odometer, operands, output));
    }
}
