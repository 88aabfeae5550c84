using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> of the test's own: a free loopback port, a temporary directory, no
/// persistence, killed on dispose. Can be killed and restarted on the same port mid-test (an outage).
/// <c>./test.sh</c> installs the Debian package <c>redis-server</c> when it is missing.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisServer(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreeLoopbackPort(), Directory.CreateTempSubdirectory("ssf-redis-").FullName);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>
    /// Options for a client that notices an outage at once and reconnects by itself. The timeouts are short
    /// but leave room for a loaded CI machine: the DataProtection key ring is read synchronously.
    /// </summary>
    public ConfigurationOptions ClientOptions()
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 5000,
            AsyncTimeout = 5000,
            ConnectRetry = 1,
            KeepAlive = 1,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new LinearRetry(250),
        };
        options.EndPoints.Add(EndPoint);
        return options;
    }

    /// <summary>
    /// A client that is connected when returned. With <c>AbortOnConnectFail = false</c> the multiplexer may
    /// return before its handshake ends (a loaded machine): wait for it, up to a generous deadline.
    /// </summary>
    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(ClientOptions());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!connection.IsConnected)
        {
            if (DateTime.UtcNow > deadline)
            {
                await connection.DisposeAsync();
                throw new InvalidOperationException($"Could not connect to redis-server on port {Port}.");
            }

            await Task.Delay(20);
        }

        return connection;
    }

    /// <summary>Kills the server (SIGKILL: no goodbye to the clients) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // SIGKILL works on a stopped process too.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing answers — a hung Redis.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Thaws a frozen server (SIGCONT): it then runs the commands queued meanwhile.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            UseShellExecute = false,
            ArgumentList = { signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>Starts the server again on the same port (with an empty data set: no persistence).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            ArgumentList =
            {
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--save", string.Empty,
                "--appendonly", "no",
                "--dir", _directory,
                "--logfile", Path.Combine(_directory, "redis.log"),
            },
        };

        _process?.Dispose();
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                "redis-server is not installed: run ./test.sh (it installs the Debian package redis-server) or apt-get install redis-server.",
                exception);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await PingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(Path.Combine(_directory, "redis.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "redis.log")) : "";
                throw new InvalidOperationException($"redis-server did not answer PING on port {Port}. Log:\n{log}");
            }

            await Task.Delay(20);
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
