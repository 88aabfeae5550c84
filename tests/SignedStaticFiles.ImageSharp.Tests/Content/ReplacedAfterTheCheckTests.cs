using System.Net;
using SignedStaticFiles.ImageSharp.Tests.Infrastructure;
using SignedStaticFiles.ImageSharp.Tests.Watermarking;

namespace SignedStaticFiles.ImageSharp.Tests.Content;

/// <summary>
/// Under <see cref="WatermarkMode.Always"/> a plain-text file leaves as it is; the bytes sent must be the bytes the
/// engine judged. A file replaced by a JPEG between the engine's check and the send must never go out unstamped
/// (docs/security-model.md, promise 2: never the unmarked original).
/// </summary>
public sealed class ReplacedAfterTheCheckTests
{
    [Fact]
    public async Task Always_TextFileReplacedByAJpegWhileServed_NeverSendsTheUnstampedJpeg()
    {
        await using var host = await ImageHost.StartAsync(o => o.Watermark.Mode = WatermarkMode.Always);
        var text = "plain reviewer notes"u8.ToArray();
        var jpeg = TestImages.Jpeg(64, 48);
        var path = host.WriteFile("kyc/front.jpg", text);
        var url = host.Generator.GetSignedUrl("~/protected/kyc/front.jpg");
        var textCopy = path + ".text";
        var jpegCopy = path + ".jpeg";

        // A real swapper: the file is atomically replaced, over and over, by the text and by the JPEG, as an
        // upload overwriting it would.
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                File.WriteAllBytes(textCopy, text);
                File.Move(textCopy, path, overwrite: true);
                File.WriteAllBytes(jpegCopy, jpeg);
                File.Move(jpegCopy, path, overwrite: true);
            }
        });

        var leaks = 0;
        var statuses = new Dictionary<HttpStatusCode, int>();
        var deadline = DateTime.UtcNow.AddSeconds(8);
        try
        {
            for (var i = 0; i < 1500 && DateTime.UtcNow < deadline; i++)
            {
                try
                {
                    using var response = await host.Client.GetAsync(url);
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (body.AsSpan().SequenceEqual(jpeg))
                    {
                        leaks++;
                    }
                }
                catch (HttpRequestException)
                {
                    // The file changed under a send already started: the connection is broken, which tells the
                    // client the body is not whole (fail closed). Counted as 0.
                    statuses[0] = statuses.GetValueOrDefault((HttpStatusCode)0) + 1;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await swapper;
        }

        Assert.True(leaks == 0, $"the unstamped JPEG was sent {leaks} times ({string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}"))})");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 0, "nothing was served at all");
    }
}
