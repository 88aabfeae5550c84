using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// A real storage server (Azurite, the S3-compatible s3rver) run by node from the repository's
/// <c>.tools/node_modules</c> (installed there by <c>./test.sh</c>), on loopback, on a free port, with its data
/// in a temporary folder: started by a test, paused (SIGSTOP) or killed to simulate an outage, stopped at the end.
/// Only the process this class started is ever signalled.
/// </summary>
public sealed partial class NodeServer : IAsyncDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly Func<int, string, string[]> _arguments;
    private Process? _process;
    private bool _paused;

    private NodeServer(string name, Func<int, string, string[]> arguments, int port, string dataFolder)
    {
        Name = name;
        _arguments = arguments;
        Port = port;
        DataFolder = dataFolder;
    }

    public string Name { get; }

    public int Port { get; }

    public string DataFolder { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>The repository's <c>.tools</c> folder (found from the test's output folder upwards).</summary>
    public static string ToolsFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SignedStaticFiles.sln")))
                {
                    return Path.Combine(dir.FullName, ".tools");
                }
            }

            throw new InvalidOperationException("The repository root (SignedStaticFiles.sln) was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A file of an npm package in <c>.tools/node_modules</c>; a clear failure when it is not installed.</summary>
    public static string RequireModule(string relativePath)
    {
        var path = Path.Combine(ToolsFolder, "node_modules", relativePath);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"'{path}' is missing: the store tests run real servers installed by ./test.sh into .tools/node_modules. Run ./test.sh once (or its npm install line) before dotnet test.");
        }

        return path;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>node</c> with <paramref name="arguments"/> (given the port and the data folder) and waits until the port accepts connections.</summary>
    public static async Task<NodeServer> StartAsync(string name, Func<int, string, string[]> arguments)
    {
        var data = Path.Combine(Path.GetTempPath(), "ssf-stores", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var server = new NodeServer(name, arguments, FreePort(), data);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Freezes the server (SIGSTOP): connections are accepted by the kernel and never answered.</summary>
    public void Pause()
    {
        Signal(SigStop);
        _paused = true;
    }

    /// <summary>Thaws the server (SIGCONT).</summary>
    public void Resume()
    {
        Signal(SigCont);
        _paused = false;
    }

    /// <summary>Kills the server: its port refuses connections until <see cref="RestartAsync"/>.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            if (_paused)
            {
                Resume();
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Starts the server again on the same port and data folder.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataFolder,
        };
        foreach (var argument in _arguments(Port, DataFolder))
        {
            info.ArgumentList.Add(argument);
        }

        var output = new System.Text.StringBuilder();
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode}: {output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Kill();
        throw new TimeoutException($"{Name} did not listen on {Port} within 60 s: {output}");
    }

    private void Signal(int signal)
    {
        if (_process is { HasExited: false } process && Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
