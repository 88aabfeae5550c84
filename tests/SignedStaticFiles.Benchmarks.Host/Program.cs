using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using SignedStaticFiles;

// One Kestrel host on loopback for the B1 comparison (tests/SignedStaticFiles.Benchmarks/load/compare.sh):
// /public is the framework's UseStaticFiles and /protected is UseSignedStaticFiles, over the very same
// folder of random files (10k.bin = 10 KB, 200k.bin = 200 KB). GET /links?path=/protected/10k.bin&count=N
// answers N freshly minted signed links, one per line, for wrk's Lua script.
// The DataProtection floor: /floor/10k.bin?token=… does only a bare ITimeLimitedDataProtector.Unprotect of a
// token as long as a signed link's, then serves the same file as /public; GET /floor-links?path=/floor/10k.bin
// &count=N&length=L answers N such URLs whose tokens are L characters long. compare.sh measures public, floor and
// protected side by side: what a fresh link costs above the floor is ours.
//
// --revocations N holds N revocations none of which matches the files served (a third each: link ids, users,
// folders under /protected/revoked/), for the B7 comparison (load/b7-revocations.sh).
//
// /public-headers is UseStaticFiles adding the six headers of a protected answer (OnPrepareResponse): requested with
// a same-length query string it isolates the package's own cost from the design's headers and longer URL.
//
// Usage: dotnet SignedStaticFiles.Benchmarks.Host.dll --urls http://127.0.0.1:5180 [--root <folder>] [--revocations N]
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = PrepareContentRoot(args),
});
builder.Logging.ClearProviders();
builder.Services.AddDataProtection()
    .SetApplicationName("SignedStaticFiles.Benchmarks.Host")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(builder.Environment.ContentRootPath, "keys")));
builder.Services.AddSignedStaticFiles(o =>
{
    o.RequestPath = "/protected";
    o.RootPath = "App_Data/protected";
});

var app = builder.Build();
var root = Path.Combine(app.Environment.ContentRootPath, "App_Data", "protected");
var floorProtector = app.Services.GetRequiredService<IDataProtectionProvider>()
    .CreateProtector("SignedStaticFiles.Benchmarks.Floor").ToTimeLimitedDataProtector();
app.UseSignedStaticFiles();
app.Map("/floor", floor =>
{
    floor.Use((context, next) =>
    {
        var token = context.Request.Query["token"].ToString();
        try
        {
            floorProtector.Unprotect(System.Buffers.Text.Base64Url.DecodeFromChars(token), out _);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            context.Response.StatusCode = 403;
            return Task.CompletedTask;
        }
        catch (FormatException)
        {
            context.Response.StatusCode = 403;
            return Task.CompletedTask;
        }

        return next(context);
    });
    floor.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) });
});
app.UseStaticFiles(new StaticFileOptions { RequestPath = "/public", FileProvider = new PhysicalFileProvider(root) });

// The framework's static files with the six headers every protected answer carries (the same values): requested
// with a query string as long as a signed link's, the difference to /protected is the package's own work.
app.UseStaticFiles(new StaticFileOptions
{
    RequestPath = "/public-headers",
    FileProvider = new PhysicalFileProvider(root),
    OnPrepareResponse = static context =>
    {
        var headers = context.Context.Response.Headers;
        headers.CacheControl = "private, no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    },
});
app.MapGet("/floor-links", (string path, int? count, int length) =>
{
    // The payload size whose token is as long as a signed link's (DataProtection's output grows in 16-byte blocks).
    var payload = 1;
    while (System.Buffers.Text.Base64Url.EncodeToString(floorProtector.Protect(new byte[payload], DateTimeOffset.UtcNow.AddHours(2))).Length < length)
    {
        payload++;
    }

    var n = Math.Clamp(count ?? 1, 1, 100_000);
    var links = new System.Text.StringBuilder(n * (length + 40));
    for (var i = 0; i < n; i++)
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(
            floorProtector.Protect(System.Security.Cryptography.RandomNumberGenerator.GetBytes(payload), DateTimeOffset.UtcNow.AddHours(2)));
        links.Append(path).Append("?token=").Append(token).Append('\n');
    }

    return Results.Text(links.ToString(), "text/plain");
});
await HoldRevocationsAsync(app.Services, args);
app.MapGet("/links", (string path, int? count, ISignedUrlGenerator generator) =>
{
    var n = Math.Clamp(count ?? 1, 1, 100_000);
    var links = new System.Text.StringBuilder(n * 200);
    for (var i = 0; i < n; i++)
    {
        links.Append(generator.GetSignedUrl(path, TimeSpan.FromHours(2))).Append('\n');
    }

    return Results.Text(links.ToString(), "text/plain");
});
app.Run();

static async Task HoldRevocationsAsync(IServiceProvider services, string[] args)
{
    var index = Array.IndexOf(args, "--revocations");
    var count = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
    var revoker = services.GetRequiredService<ISignedUrlRevoker>();
    for (var i = 0; i < count; i++)
    {
        var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (i % 3 == 0)
        {
            await revoker.RevokeLinkAsync(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
        }
        else if (i % 3 == 1)
        {
            await revoker.RevokeUserAsync("user-" + key);
        }
        else
        {
            await revoker.RevokePathAsync("/protected/revoked/" + key);
        }
    }
}

static string PrepareContentRoot(string[] args)
{
    var index = Array.IndexOf(args, "--root");
    var contentRoot = index >= 0 && index + 1 < args.Length
        ? Path.GetFullPath(args[index + 1])
        : Path.Combine(Path.GetTempPath(), "ssf-load");
    var folder = Path.Combine(contentRoot, "App_Data", "protected");
    Directory.CreateDirectory(folder);
    foreach (var (name, size) in new[] { ("10k.bin", 10 * 1024), ("200k.bin", 200 * 1024) })
    {
        var file = Path.Combine(folder, name);
        if (!File.Exists(file) || new FileInfo(file).Length != size)
        {
            File.WriteAllBytes(file, System.Security.Cryptography.RandomNumberGenerator.GetBytes(size));
        }
    }

    return contentRoot;
}
