using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignedStaticFiles.Tests.Infrastructure;

namespace SignedStaticFiles.Tests.Answers;

/// <summary>
/// <see cref="SignedStaticFilesOptions.EventsType"/>: the app's events class is resolved from the request's
/// services, so it takes scoped dependencies (a DbContext) the way a controller does — no static service locator.
/// </summary>
public sealed class EventsTypeTests
{
    [Fact]
    public async Task EventsType_WithAScopedDependency_IsResolvedPerRequest()
    {
        var journal = new AuditJournal();
        await using var host = await SignedHost.StartAsync(
            o => o.EventsType = typeof(AuditEvents),
            builder: b =>
            {
                b.Services.AddSingleton(journal);
                b.Services.AddScoped<AuditDb>();
                b.Services.AddScoped<AuditEvents>();
            },
            pipeline: app =>
            {
                // What the app itself resolves in the same request: the events must see this very instance.
                app.Use((context, next) =>
                {
                    context.Items["db"] = context.RequestServices.GetRequiredService<AuditDb>().Id;
                    return next(context);
                });
                app.UseSignedStaticFiles();
            });
        host.WriteFile("a.txt", "a");

        await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));
        await host.Client.GetAsync("/protected/a.txt");
        await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));

        var rows = journal.Rows.ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal([SignedFileOutcome.Served, SignedFileOutcome.MissingToken, SignedFileOutcome.Served], rows.Select(r => r.Outcome));
        Assert.All(rows, r => Assert.Equal(r.RequestDb, r.Db));
        Assert.Equal(3, rows.Select(r => r.Db).Distinct().Count());
        Assert.Equal(3, rows.Select(r => r.Events).Distinct().Count());
        Assert.All(rows, r => Assert.True(r.DbDisposedAfterwards()));
    }

    [Fact]
    public async Task EventsType_WorksWithTheEndpointForm()
    {
        var journal = new AuditJournal();
        await using var host = await SignedHost.StartAsync(
            o => o.EventsType = typeof(AuditEvents),
            builder: b =>
            {
                b.Services.AddSingleton(journal);
                b.Services.AddScoped<AuditDb>();
                b.Services.AddScoped<AuditEvents>();
            },
            pipeline: app => app.MapSignedStaticFiles());
        host.WriteFile("a.txt", "a");

        using var response = await host.Client.GetAsync(host.Generator.GetSignedUrl("/protected/a.txt"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SignedFileOutcome.Served, Assert.Single(journal.Rows).Outcome);
    }

    [Fact]
    public async Task EventsType_NotAnEventsClass_StopsTheApp()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => SignedHost.StartAsync(o => o.EventsType = typeof(AuditDb)));

        Assert.Contains("EventsType", e.Message, StringComparison.Ordinal);
    }

    /// <summary>An events class the container cannot give would fail every request after its answer: it stops the app instead.</summary>
    [Fact]
    public async Task EventsType_NotRegistered_StopsTheApp()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => SignedHost.StartAsync(o => o.EventsType = typeof(AuditEvents)));

        Assert.Contains("SignedStaticFilesOptions.EventsType", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AuditEvents), e.Message, StringComparison.Ordinal);
    }

    internal sealed class AuditJournal
    {
        public ConcurrentQueue<Row> Rows { get; } = new();
    }

    internal sealed record Row(SignedFileOutcome Outcome, Guid Db, Guid? RequestDb, Guid Events, AuditDb Instance)
    {
        public bool DbDisposedAfterwards() => Instance.Disposed;
    }

    /// <summary>A DbContext-like scoped unit of work: one per request, disposed with the request's scope.</summary>
    internal sealed class AuditDb : IDisposable
    {
        public Guid Id { get; } = Guid.NewGuid();

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    internal sealed class AuditEvents(AuditDb db, AuditJournal journal) : SignedStaticFilesEvents
    {
        private readonly Guid _id = Guid.NewGuid();

        public override Task Served(SignedFileEventContext context) => Record(context);

        public override Task Rejected(SignedFileEventContext context) => Record(context);

        private Task Record(SignedFileEventContext context)
        {
            ObjectDisposedException.ThrowIf(db.Disposed, db);
            journal.Rows.Enqueue(new Row(context.Outcome, db.Id, context.HttpContext.Items["db"] as Guid?, _id, db));
            return Task.CompletedTask;
        }
    }
}
