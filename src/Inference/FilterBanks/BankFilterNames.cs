using System.Globalization;

namespace ConvService.Inference.FilterBanks;

/// <summary>
/// Filter and response names, e.g. "edge s=1 o=30deg". s is the sigma of the short (derivative) axis; o is the
/// angle of the long axis measured from the +x (column) axis towards +row, i.e. clockwise on screen.
/// </summary>
internal static class BankFilterNames
{
    public static string Edge(double sigma, int orientationDegrees) => $"edge s={Number(sigma)} o={orientationDegrees}deg";

    public static string Bar(double sigma, int orientationDegrees) => $"bar s={Number(sigma)} o={orientationDegrees}deg";

    public static string EdgeMax(double sigma) => $"edge s={Number(sigma)} max";

    public static string BarMax(double sigma) => $"bar s={Number(sigma)} max";

    public static string Gaussian(double sigma) => $"gaussian s={Number(sigma)}";

    public static string LaplacianOfGaussian(double sigma) => $"log s={Number(sigma)}";

    public static string Schmid(double sigma, double tau) => $"schmid s={Number(sigma)} tau={Number(tau)}";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
