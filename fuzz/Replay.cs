namespace ConvService.Fuzz;

/// <summary>Runs saved inputs through a harness outside AFL, to triage what a run found.</summary>
internal static class Replay
{
    public static int Run(Action<byte[]> target, string path)
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path).Order().ToArray() : [path];
        var failures = 0;
        foreach (var file in files)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                target(File.ReadAllBytes(file));
                Console.WriteLine($"ok      {started.ElapsedMilliseconds,6} ms  {file}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"ESCAPED {started.ElapsedMilliseconds,6} ms  {file}\n{e}");
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
