using System.Net;
using System.Net.Sockets;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// A TCP relay on loopback in front of a storage server that counts the bytes the server sends: what a read
/// really transferred from the store (headers and body), whatever the client did with it.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _fromServer;

    public CountingProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>Bytes sent by the server since the start or the last <see cref="Reset"/>.</summary>
    public long BytesFromServer => Interlocked.Read(ref _fromServer);

    public void Reset() => Interlocked.Exchange(ref _fromServer, 0);

    /// <summary>Stops relaying the server's bytes (held, not dropped): a store that stalls in the middle of a body.</summary>
    public bool Stalled { get; set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = CopyCountingAsync(server.GetStream(), client.GetStream());
                await Task.WhenAny(up, down);
            }
            catch (Exception)
            {
                // a relay ends with either side: nothing to report
            }
        }
    }

    private async Task CopyCountingAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            while (Stalled)
            {
                await Task.Delay(20, _stop.Token);
            }

            Interlocked.Add(ref _fromServer, read);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
