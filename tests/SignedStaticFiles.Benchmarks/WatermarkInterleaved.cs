using System.Diagnostics;
using System.Globalization;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// B3 (cold) on a noisy shared machine: BenchmarkDotNet measures one method after the other, so load
/// that changes between the two runs skews their ratio. This runs the two <see cref="WatermarkBenchmarks"/>
/// methods alternately, pair by pair, and reports the median of the per-pair ratios and each one's
/// minimum (its least disturbed time).
/// Usage: dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- watermark-ab [pairs=60]
/// </summary>
internal static class WatermarkInterleaved
{
    public static void Run(string[] args)
    {
        var pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var benchmarks = new WatermarkBenchmarks();
        benchmarks.Setup();
        for (var i = 0; i < 5; i++)
        {
            benchmarks.DecodeEncode();
            benchmarks.Watermark();
        }

        var plain = new List<double>();
        var stamped = new List<double>();
        var ratios = new List<double>();
        for (var i = 0; i < pairs; i++)
        {
            // Alternate the order so that neither always runs right after a GC of the other.
            double a, b;
            if (i % 2 == 0)
            {
                a = Time(() => benchmarks.DecodeEncode());
                b = Time(() => benchmarks.Watermark());
            }
            else
            {
                b = Time(() => benchmarks.Watermark());
                a = Time(() => benchmarks.DecodeEncode());
            }

            plain.Add(a);
            stamped.Add(b);
            ratios.Add(b / a);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pairs {pairs}: DecodeEncode min {plain.Min():0.0} ms median {Median(plain):0.0} ms; Watermark min {stamped.Min():0.0} ms median {Median(stamped):0.0} ms; ratio of mins {stamped.Min() / plain.Min():0.000}; median per-pair ratio {Median(ratios):0.000}"));
    }

    private static double Time(Func<long> action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
