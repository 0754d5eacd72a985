using ConvService.Contracts.Networks;
using ConvService.Inference.Networks;
using ConvService.Inference.Networks.BuiltIn;

namespace ConvService.Inference.Tests.Networks;

/// <summary>The lecture's VGG-16 (D) memory and parameter table, and the configuration table A to E.</summary>
public sealed class VggLectureTests
{
    private static readonly NetworkReport Vgg16 = NetworkAnalyzer.Analyze(BuiltInNetworks.Get("vgg16"));

    /// <summary>The table's rows in order: shape, memory (values) and weights ("params ... not counting biases").</summary>
    public static TheoryData<int, string, long, long> Table => new()
    {
        { 0, "224x224x3", 150_528, 0 },
        { 1, "224x224x64", 3_211_264, 1_728 },
        { 2, "224x224x64", 3_211_264, 36_864 },
        { 3, "112x112x64", 802_816, 0 },
        { 4, "112x112x128", 1_605_632, 73_728 },
        { 5, "112x112x128", 1_605_632, 147_456 },
        { 6, "56x56x128", 401_408, 0 },
        { 7, "56x56x256", 802_816, 294_912 },
        { 8, "56x56x256", 802_816, 589_824 },
        { 9, "56x56x256", 802_816, 589_824 },
        { 10, "28x28x256", 200_704, 0 },
        { 11, "28x28x512", 401_408, 1_179_648 },
        { 12, "28x28x512", 401_408, 2_359_296 },
        { 13, "28x28x512", 401_408, 2_359_296 },
        { 14, "14x14x512", 100_352, 0 },
        { 15, "14x14x512", 100_352, 2_359_296 },
        { 16, "14x14x512", 100_352, 2_359_296 },
        { 17, "14x14x512", 100_352, 2_359_296 },
        { 18, "7x7x512", 25_088, 0 },
        { 19, "1x1x4096", 4_096, 102_760_448 },
        { 20, "1x1x4096", 4_096, 16_777_216 },
        { 21, "1x1x1000", 1_000, 4_096_000 },
    };

    /// <summary>The table lists the input and the conv, pool and fc layers; ReLU, dropout and softmax work in place.</summary>
    private static IReadOnlyList<LayerReport> TableRows => Vgg16.Layers.Where(l => !l.InPlace).ToList();

    [Theory]
    [MemberData(nameof(Table))]
    public void EveryRowOfTheMemoryAndParameterTable(int row, string shape, long memory, long weights)
    {
        var layer = TableRows[row];
        Assert.Equal(shape, layer.OutputShape);
        Assert.Equal(memory, layer.Activations);
        Assert.Equal(weights, layer.Weights);
    }

    [Fact]
    public void TotalIs138357544Parameters() => Assert.Equal(138_357_544, Vgg16.Totals.Parameters);

    /// <summary>
    /// Erratum: the lecture's "TOTAL memory: 24M * 4 bytes ~= 93MB / image" does not add up. Its own per-layer
    /// figures sum to 15,237,608 values, 60,950,432 bytes (about 61 MB) per image in float32, forward only.
    /// </summary>
    [Fact]
    public void TotalMemoryIsTheExactSumOfTheTable15237608ValuesNotTheLectures24M_Erratum()
    {
        Assert.Equal(22, TableRows.Count);
        Assert.Equal(15_237_608, Vgg16.Totals.Activations);
        Assert.Equal(60_950_432, Vgg16.Totals.ActivationBytes);
        Assert.Equal(2 * 60_950_432L, Vgg16.Totals.TrainingActivationBytes); // the lecture's "~*2 for bwd"
        Assert.NotEqual(24_000_000, Vgg16.Totals.Activations);
    }

    [Theory]
    [InlineData("vgg11", 133, 11)]
    [InlineData("vgg11-lrn", 133, 11)]
    [InlineData("vgg13", 133, 13)]
    [InlineData("vgg16-conv1", 134, 16)]
    [InlineData("vgg16", 138, 16)]
    [InlineData("vgg19", 144, 19)]
    public void ConfigurationTableParametersInMillions(string name, int millions, int weightLayers)
    {
        var totals = NetworkAnalyzer.Analyze(BuiltInNetworks.Get(name)).Totals;
        Assert.Equal(millions, (int)Math.Round(totals.Parameters / 1e6));
        Assert.Equal(weightLayers, totals.WeightLayers);
    }

    [Fact]
    public void MostMemoryIsInEarlyConvsMostParametersInLateFcs()
    {
        var rows = TableRows;
        Assert.Equal(rows[1].Activations, rows.Max(r => r.Activations));
        Assert.Equal(rows[19].Parameters, rows.Max(r => r.Parameters));
    }
}
