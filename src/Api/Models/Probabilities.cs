namespace ConvService.Api.Models;

/// <summary>Class scores as probabilities: kept when they already are (a softmax output), else put through a softmax.</summary>
public static class Probabilities
{
    public static float[] From(float[] scores)
    {
        var sum = 0f;
        var alreadyProbabilities = true;
        foreach (var s in scores)
        {
            alreadyProbabilities &= s is >= 0f and <= 1f;
            sum += s;
        }

        if (alreadyProbabilities && MathF.Abs(sum - 1f) < 1e-3f)
        {
            return scores;
        }

        var max = scores.Max();
        var exp = scores.Select(s => MathF.Exp(s - max)).ToArray();
        var total = exp.Sum();
        return exp.Select(e => e / total).ToArray();
    }
}
