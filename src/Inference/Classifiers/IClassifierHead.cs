namespace ConvService.Inference.Classifiers;

/// <summary>A trained decision rule over feature vectors: answers in C# (for leave-one-out) and as ONNX nodes (for serving).</summary>
public interface IClassifierHead
{
    /// <summary>The predicted class index; ties go to the lower index, as ONNX's ArgMax and Hardmax break them.</summary>
    int Predict(ReadOnlySpan<float> features);

    /// <summary>Appends the head behind <paramref name="features"/> ([N, D]); returns class scores [N, C] that sum to 1.</summary>
    string Write(GraphAppender graph, string features);
}
