using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Components.Tests;

/// <summary>
/// The test Blazor app (<c>Site/</c>) on a TestServer: two folders (<c>/protected</c>, links up to an hour; <c>/contracts</c>,
/// links up to 2 minutes), the <c>X-Test-User</c> header as sign-in, static server rendering through
/// <c>MapRazorComponents</c>. Exceptions a render throws are kept for the tests to read.
/// </summary>
internal sealed class ComponentsSite : IAsyncDisposable
{
    private ComponentsSite(SignedHost host, List<Exception> errors)
    {
        Host = host;
        Errors = errors;
    }

    public SignedHost Host { get; }

    public List<Exception> Errors { get; }

    public string ContractsRoot => Path.Combine(Host.ContentRoot, "App_Data", "contracts");

    public static async Task<ComponentsSite> StartAsync(string? pathBase = null, TimeSpan? linkReuseWindow = null)
    {
        var contentRoot = SignedHost.NewContentRoot();
        Directory.CreateDirectory(Path.Combine(contentRoot, "App_Data", "contracts"));
        var errors = new List<Exception>();
        var host = await SignedHost.StartAsync(
            o =>
            {
                o.MaxLifetime = TimeSpan.FromHours(1);
                o.LinkReuseWindow = linkReuseWindow ?? TimeSpan.Zero;
            },
            builder: b =>
            {
                b.Services.AddSignedStaticFiles("contracts", o =>
                {
                    o.RequestPath = "/contracts";
                    o.RootPath = "App_Data/contracts";
                    o.MaxLifetime = TimeSpan.FromMinutes(2);
                    o.DefaultLifetime = TimeSpan.FromMinutes(1);
                });
                b.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
                b.Services.AddRazorComponents();
            },
            pipeline: app =>
            {
                if (pathBase is not null)
                {
                    app.UsePathBase(pathBase);
                }

                app.Use(async (context, next) =>
                {
                    try
                    {
                        await next(context);
                    }
                    catch (Exception e)
                    {
                        lock (errors)
                        {
                            errors.Add(e);
                        }

                        throw;
                    }
                });
                app.UseRouting();
                app.UseAuthentication();
                app.UseSignedStaticFiles();
                app.UseAntiforgery();
                app.MapRazorComponents<Site.App>();
            },
            contentRoot: contentRoot);
        host.WriteFile("kyc/front.txt", "front of the ID");
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "App_Data", "contracts", "contract.txt"), "the contract");
        return new ComponentsSite(host, errors);
    }

    public async Task<HttpResponseMessage> GetAsync(string url, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        return await Host.Client.SendAsync(request);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
