using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace SignedStaticFiles.Benchmarks;

/// <summary>
/// Optional second clock for the signing and request benchmarks. On a busy machine (shared cores) the
/// default wall clock mostly measures the wait for a core; with <c>SSF_BENCH_CLOCK=thread-cpu</c> the
/// benchmarks run in process and are timed with the CPU time of the benchmark thread
/// (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, Linux), which only counts the work itself.
/// Every benchmark here is synchronous on that thread, so nothing it does escapes this clock.
/// </summary>
public sealed class ThreadCpuTimeConfig : ManualConfig
{
    public ThreadCpuTimeConfig()
    {
        if (Environment.GetEnvironmentVariable("SSF_BENCH_CLOCK") == "thread-cpu" && ThreadCpuClock.Instance.IsAvailable)
        {
            AddJob(Job.Default
                .WithClock(ThreadCpuClock.Instance)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(5)
                .WithIterationCount(15)
                .WithId("ThreadCpu"));
        }
    }

    private sealed class ThreadCpuClock : IClock
    {
        public static readonly ThreadCpuClock Instance = new();

        private const int ClockThreadCpuTimeId = 3;

        public string Title => "thread CPU time (CLOCK_THREAD_CPUTIME_ID)";

        public bool IsAvailable => OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out _) == 0;

        public Frequency Frequency => Frequency.GHz;

        public long GetTimestamp()
        {
            _ = ClockGetTime(ClockThreadCpuTimeId, out var time);
            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }

        private static int ClockGetTime(int clockId, out TimeSpec time) => NativeMethods.clock_gettime(clockId, out time);

        [StructLayout(LayoutKind.Sequential)]
        internal struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054, CA5392 // a benchmark helper: no source-generated marshalling needed
        internal static extern int clock_gettime(int clockId, out ThreadCpuClock.TimeSpec time);
#pragma warning restore SYSLIB1054, CA5392
    }
}
