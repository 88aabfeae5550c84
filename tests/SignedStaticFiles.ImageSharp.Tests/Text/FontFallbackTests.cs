using System.Diagnostics;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;

namespace SignedStaticFiles.ImageSharp.Tests.Text;

/// <summary>
/// A character no available font can draw is never drawn as a box: the stamp falls back to the ASCII text
/// (user id, time, link id) and a warning is logged once. Proven in a child process whose fontconfig sees an
/// empty folder, so only the bundled font is left.
/// </summary>
public sealed class FontFallbackTests
{
    private const string Chinese = "审核 王伟 · L1nk";
    private const string Korean = "검토 김민준 · L2nk";

    [Fact]
    public async Task NoSystemFonts_CjkStamp_UsesTheAsciiFallback_AndWarnsOnce()
    {
        var lines = await ProbeAsync(emptyFontconfig: true, Chinese, "u-42 2026-11-30 12:00 UTC L1nk", Korean, "u-43 2026-11-30 12:00 UTC L2nk");

        Assert.Contains(lines, l => l.StartsWith("fallback=True|ink=True|text=u-42 2026-11-30 12:00 UTC L1nk|fonts=DejaVu Sans/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("fallback=True|ink=True|text=u-43 2026-11-30 12:00 UTC L2nk", StringComparison.Ordinal));
        var warnings = lines.Where(l => l.StartsWith("warning 103:", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("U+", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("王伟", string.Join('\n', lines), StringComparison.Ordinal); // the name is never logged
    }

    [Fact]
    public async Task SystemFonts_CjkStamp_IsDrawnAsWritten()
    {
        var lines = await ProbeAsync(emptyFontconfig: false, Chinese, "u-42 L1nk");
        var line = Assert.Single(lines);
        Assert.StartsWith("fallback=False|ink=True|text=" + Chinese, line, StringComparison.Ordinal);
    }

    private static async Task<string[]> ProbeAsync(bool emptyFontconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(FontProbe).Assembly.Location);
        start.ArgumentList.Add("font-probe");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string? folder = null;
        if (emptyFontconfig)
        {
            folder = Directory.CreateTempSubdirectory("no-fonts-").FullName;
            var config = Path.Combine(folder, "fonts.conf");
            await File.WriteAllTextAsync(config,
                $"<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>{folder}</dir><cachedir>{folder}/cache</cachedir></fontconfig>\n");
            start.Environment["FONTCONFIG_FILE"] = config;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.ExitCode == 0, $"probe exited {process.ExitCode}: {await error}");
            return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        finally
        {
            if (folder is not null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
