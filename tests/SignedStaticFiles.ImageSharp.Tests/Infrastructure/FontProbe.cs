using Microsoft.Extensions.Logging;
using SignedStaticFiles.ImageSharp.Text;

namespace SignedStaticFiles.ImageSharp.Tests.Infrastructure;

/// <summary>
/// The test assembly's entry point, used only by tests that need a fresh process (fontconfig reads
/// <c>FONTCONFIG_FILE</c> once, when the first font is looked up): <c>dotnet exec SignedStaticFiles.ImageSharp.Tests.dll
/// font-probe TEXT FALLBACK [TEXT FALLBACK]…</c> resolves and renders each text with the real engine and prints
/// what it drew, and every warning it logged.
/// </summary>
public static class FontProbe
{
    public static int Main(string[] args)
    {
        if (args.Length < 3 || args[0] != "font-probe")
        {
            return 2;
        }

        using var loggers = LoggerFactory.Create(b => b.AddProvider(new ConsoleWarnings()));
        using var renderer = new SkiaStampTextRenderer(loggers);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            var resolved = renderer.Resolve(args[i], args[i + 1]);
            if (resolved is null)
            {
                Console.WriteLine("resolved=none");
                continue;
            }

            var mask = renderer.Render(resolved, 40);
            Console.WriteLine($"fallback={resolved.IsFallback}|ink={mask.HasInk}|text={resolved.Text}|fonts={resolved.FontSet}");
        }

        return 0;
    }

    private sealed class ConsoleWarnings : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger();

        public void Dispose()
        {
        }

        private sealed class Logger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                Console.WriteLine($"warning {eventId.Id}: {formatter(state, exception)}");
        }
    }
}
