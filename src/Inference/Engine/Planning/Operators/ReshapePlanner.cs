namespace ConvService.Inference.Engine.Planning.Operators;

/// <summary>Operators that only change the shape: the output shares the input's buffer, no step runs.</summary>
internal static class ReshapePlanner
{
    public static void Identity(NodeContext context)
    {
        if (context.Node.OpType == "Dropout" && context.OutputUsed(1))
        {
            throw context.Fail("the mask output of Dropout is not supported at inference");
        }

        // Dropout-12's training_mode input turns it into random masking unless the ratio is 0.
        if (context.Node.OpType == "Dropout" && context.Has(2))
        {
            var training = context.RequireConstant(2, "training_mode").AsIntegers()[0] != 0;
            var ratio = context.Has(1) ? context.RequireConstant(1, "the ratio").AsFloats()[0] : 0.5f;
            if (training && ratio != 0)
            {
                throw context.Fail("training_mode is true, which drops values at random; export the model for inference (training_mode false)");
            }
        }

        context.Alias(0, 0, context.Shape(0));
    }

    public static void Flatten(NodeContext context)
    {
        var x = context.Shape(0);
        var axisValue = context.Attributes.Int("axis", 1);
        var axis = axisValue == x.Length ? x.Length : context.Axis(axisValue, x.Length);
        context.Alias(0, 0, [TensorShape.Product(x, 0, axis), TensorShape.Product(x, axis, x.Length)]);
    }

    public static void Reshape(NodeContext context)
    {
        var x = context.Shape(0);
        var target = context.IntegersFromInputOrAttribute(1, "shape") ?? throw context.Fail("no target shape given");
        var allowZero = context.Attributes.Int("allowzero", 0) != 0;
        var shape = new int[target.Length];
        var inferred = -1;
        long known = 1;
        for (var i = 0; i < target.Length; i++)
        {
            var t = target[i];
            if (t == 0 && !allowZero)
            {
                if (i >= x.Length)
                {
                    throw context.Fail($"target dimension {i} is 0 (copy) but the input has only {x.Length} dimensions");
                }

                t = x[i];
            }
            else if (t == -1)
            {
                if (inferred >= 0)
                {
                    throw context.Fail("the target shape has more than one -1");
                }

                inferred = i;
                continue;
            }
            else if (t < 0 || t > int.MaxValue)
            {
                throw context.Fail($"target dimension {t} is invalid");
            }
            else if (i == 0 && t == context.DeclaredBatch && context.Batch != context.DeclaredBatch && x.Length > 0 && x[0] == context.Batch)
            {
                // A constant target written for the file's fixed batch: follow the session's batch instead.
                t = context.Batch;
            }

            shape[i] = (int)t;
            known *= t;
            if (known > context.Options.MaxElementsPerTensor)
            {
                throw context.Fail($"target shape [{string.Join(", ", target)}] exceeds the limit of {context.Options.MaxElementsPerTensor} elements per tensor");
            }
        }

        var total = TensorShape.Elements(x);
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
            {
                throw context.Fail($"cannot infer the -1 dimension of [{string.Join(", ", target)}] from {total} elements");
            }

            shape[inferred] = (int)(total / known);
        }

        if (TensorShape.Elements(shape) != total)
        {
            throw context.Fail($"target shape [{string.Join(", ", target)}] does not hold the {total} elements of {TensorShape.Format(x)}");
        }

        context.Alias(0, 0, shape);
    }

    public static void Squeeze(NodeContext context)
    {
        var x = context.Shape(0);
        var axes = context.IntegersFromInputOrAttribute(1, "axes")?.Select(a => context.Axis(a, x.Length)).ToHashSet();
        if (axes is not null && axes.Any(a => x[a] != 1))
        {
            throw context.Fail("a squeezed axis does not have size 1");
        }

        var shape = x.Where((d, i) => axes is null ? d != 1 : !axes.Contains(i)).ToArray();
        context.Alias(0, 0, shape);
    }

    public static void Unsqueeze(NodeContext context)
    {
        var x = context.Shape(0);
        var raw = context.IntegersFromInputOrAttribute(1, "axes") ?? throw context.Fail("no axes given");
        var rank = x.Length + raw.Length;
        var axes = raw.Select(a => context.Axis(a, rank)).ToHashSet();
        if (axes.Count != raw.Length)
        {
            throw context.Fail("axes repeat");
        }

        var shape = new int[rank];
        var source = 0;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = axes.Contains(i) ? 1 : x[source++];
        }

        context.Alias(0, 0, shape);
    }
}
