using System.Globalization;
using ConvService.Inference.Training;
using ConvService.Tools.TrainLeNet;

namespace ConvService.Inference.Tests.Models;

/// <summary>How the training tool reads, splits and shifts digits.</summary>
public sealed class TrainLeNetDataTests
{
    [Fact]
    public void ReaderLabelsImagesByFileAndRoundsValuesToBytes()
    {
        var folder = Directory.CreateTempSubdirectory("digits-").FullName;
        try
        {
            for (var digit = 0; digit < 10; digit++)
            {
                // Digit d has d % 2 + 1 images; every value is d / 10.
                var values = Enumerable.Repeat((digit / 10.0).ToString(CultureInfo.InvariantCulture), (digit % 2 + 1) * 784);
                File.WriteAllText(Path.Combine(folder, $"{digit}.json"), $"{{ \"data\": [{string.Join(',', values)}] }}");
            }

            var digits = MnistJsonReader.ReadAll(folder);

            Assert.Equal(15, digits.Count);
            Assert.Equal([0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9], digits.Labels.Select(l => (int)l));
            Assert.Equal((byte)Math.Round(0.3 * 255), digits.Image(4)[100]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ReaderSaysHowToGetTheDigitsWhenTheyAreMissing()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MnistJsonReader.ReadAll(Path.Combine(Path.GetTempPath(), "no-such-digits")));
        Assert.Contains("fetch-mnist.sh", error.Message);
    }

    [Fact]
    public void SplitIsSeededAndDisjoint()
    {
        var all = NumberedDigits(50);

        var (training, heldOut) = DigitSplit.Split(all, heldOutCount: 11, seed: 5);
        var (trainingAgain, heldOutAgain) = DigitSplit.Split(all, heldOutCount: 11, seed: 5);
        var (_, heldOutOtherSeed) = DigitSplit.Split(all, heldOutCount: 11, seed: 6);

        Assert.Equal(39, training.Count);
        Assert.Equal(11, heldOut.Count);
        Assert.Equal(heldOut.Pixels, heldOutAgain.Pixels);
        Assert.Equal(training.Pixels, trainingAgain.Pixels);
        Assert.NotEqual(heldOut.Pixels, heldOutOtherSeed.Pixels);

        // The first pixel of each image is its original index: every digit lands on exactly one side.
        var ids = training.Pixels.Where((_, i) => i % 784 == 0).Concat(heldOut.Pixels.Where((_, i) => i % 784 == 0));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), ids.Order());
        Assert.All(Enumerable.Range(0, heldOut.Count), i => Assert.Equal(heldOut.Image(i)[0] % 10, heldOut.Labels[i]));
    }

    [Fact]
    public void ShiftMovesTheDigitAndFillsWithBackground()
    {
        var pixels = new byte[784];
        pixels[14 * 28 + 14] = 255;
        var digits = new DigitSet([7], pixels);
        var shifted = new float[784];
        var found = new HashSet<(int Dx, int Dy)>();
        var augmenter = new ShiftAugmenter(new Random(1), maxShift: 2);

        for (var n = 0; n < 200; n++)
        {
            augmenter.CopyShifted(digits, 0, shifted);
            var at = Array.IndexOf(shifted, 1f);
            Assert.Equal(783f, shifted.Count(v => v == 0f));
            found.Add((at % 28 - 14, at / 28 - 14));
        }

        // All 25 shifts of up to 2 pixels occur, and none further.
        Assert.Equal(25, found.Count);
        Assert.All(found, s => Assert.True(Math.Abs(s.Dx) <= 2 && Math.Abs(s.Dy) <= 2));
    }

    private static DigitSet NumberedDigits(int count)
    {
        var labels = new byte[count];
        var pixels = new byte[count * 784];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            pixels[i * 784] = (byte)i;
        }

        return new DigitSet(labels, pixels);
    }
}
