using ConvService.Inference.Onnx.Proto;

namespace ConvService.Inference.Onnx;

/// <summary>
/// Attributes renamed between operator-set versions, read under today's name so each planner handles one spelling:
/// Pad-1's <c>paddings</c> became <c>pads</c> in Pad-2.
/// </summary>
internal static class LegacyAttributes
{
    public static IEnumerable<AttributeProto> Normalize(NodeProto node, int opset)
    {
        if (node.OpType == "Pad" && opset < 2)
        {
            return node.Attribute.Select(a => a.Name == "paddings" ? new AttributeProto(a) { Name = "pads" } : a);
        }

        return node.Attribute;
    }
}
