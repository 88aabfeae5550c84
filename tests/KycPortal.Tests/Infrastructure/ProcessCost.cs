using System.Diagnostics;
using System.Globalization;

namespace KycPortal.Tests.Infrastructure;

/// <summary>
/// What one piece of work costs this process: CPU time (user + system, every thread) and the rise of the
/// peak resident set above the resident set at the start. On Linux the kernel's peak counter (VmHWM) is
/// reset first by writing 5 to /proc/self/clear_refs, so the peak is the peak of this work, not of the
/// whole test run. Run it only in a collection that nothing else runs beside (<see cref="MeasuredSerially"/>).
/// </summary>
public sealed record ProcessCost(TimeSpan Cpu, long PeakRiseBytes)
{
    public static async Task<ProcessCost> MeasureAsync(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        var rssBefore = ReadStatusKilobytes("VmRSS") * 1024;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;

        await work();

        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var peak = ReadStatusKilobytes("VmHWM") * 1024;
        return new ProcessCost(cpu, Math.Max(0, peak - rssBefore));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cpu.TotalSeconds:F2} CPU-s, peak RSS +{PeakRiseBytes / (1024.0 * 1024):F0} MB");

    private static long ReadStatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field}.");
    }
}
