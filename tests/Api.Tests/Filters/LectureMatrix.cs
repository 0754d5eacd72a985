namespace ConvService.Api.Tests.Filters;

/// <summary>The lecture's 10x10 image f: a block of 90s with a hole, and a stray 90 (Seitz's example).</summary>
public static class LectureMatrix
{
    public static double[][] F()
    {
        var f = new double[10][];
        for (var y = 0; y < 10; y++)
        {
            f[y] = new double[10];
        }

        for (var y = 2; y <= 6; y++)
        {
            for (var x = 3; x <= 7; x++)
            {
                f[y][x] = 90;
            }
        }

        f[5][4] = 0;
        f[8][2] = 90;
        return f;
    }

    /// <summary>The 8x8 g the lecture shows for the 3x3 box filter, rounded to whole numbers.</summary>
    public static readonly int[][] BoxG =
    [
        [0, 10, 20, 30, 30, 30, 20, 10],
        [0, 20, 40, 60, 60, 60, 40, 20],
        [0, 30, 60, 90, 90, 90, 60, 30],
        [0, 30, 50, 80, 80, 90, 60, 30],
        [0, 30, 50, 80, 80, 90, 60, 30],
        [0, 20, 30, 50, 50, 60, 40, 20],
        [10, 20, 30, 30, 30, 30, 20, 10],
        [10, 10, 10, 0, 0, 0, 0, 0],
    ];
}
