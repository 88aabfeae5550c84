using BenchmarkDotNet.Running;

// Watermark load host for wrk-watermark.sh / b4-watermark.sh (figures and commands: docs/performance.md, B3 and B4).
if (args is ["watermark-host", ..])
{
    await SignedStaticFiles.Benchmarks.WatermarkLoadHost.RunAsync(args[1..]);
    return;
}

if (args is ["watermark-ab", ..])
{
    SignedStaticFiles.Benchmarks.WatermarkInterleaved.Run(args[1..]);
    return;
}

// Run all: dotnet run -c Release --project tests/SignedStaticFiles.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
