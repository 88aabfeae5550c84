// KycPortal: a small KYC upload-and-review application showing SignedStaticFiles end to end.
// Identity documents live in App_Data/protected (outside wwwroot); pages show them only through
// short-lived signed links bound to the signed-in user, and every serve or refusal is audited.
using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Services;
using KycPortal.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SignedStaticFiles;

var builder = WebApplication.CreateBuilder(args);

// Everything the app writes lives under one data folder (default App_Data/ under the content root):
// the SQLite database, the DataProtection key ring and the protected folder. Created on start, so a
// fresh clone runs with no set-up.
var paths = KycPaths.From(builder.Configuration, builder.Environment);
paths.EnsureCreated();
builder.Services.AddSingleton(paths);

// "dotnet run" listens on http://localhost:5080 (Properties/launchSettings.json); --urls overrides it.

builder.Services.AddDbContext<KycDbContext>(o => o.UseSqlite($"Data Source={paths.DatabaseFile}"));
builder.Services
    .AddIdentity<IdentityUser, IdentityRole>(o =>
    {
        o.User.RequireUniqueEmail = true;

        // No account lockout: anyone could lock a reviewer out with five wrong passwords, and the lockout's
        // message would tell them the account exists. Sign-in is throttled per client address instead.
        o.Lockout.AllowedForNewUsers = false;
    })
    .AddEntityFrameworkStores<KycDbContext>();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/Account/Login";
    o.LogoutPath = "/Account/Logout";
    o.AccessDeniedPath = "/Account/AccessDenied";
    o.Cookie.Name = "KycPortal.Auth";
    o.Cookie.SameSite = SameSiteMode.Strict;
    o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
});

// Sessions live server-side: the cookie holds only a random key, and "Sign out" deletes the session, so a
// copy of the cookie stops working at once.
builder.Services.AddSingleton<DatabaseTicketStore>();
builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
    .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
builder.Services.AddSingleton<UnknownAccountPasswordCheck>();

// Per-client sign-in and per-user upload limits ("KycPortal:RateLimits" in appsettings.json).
builder.Services.AddKycRateLimiting(builder.Configuration);

// The key ring signs the links and the auth cookie: persisted, so links and sessions survive restarts.
builder.Services.AddDataProtection()
    .SetApplicationName("KycPortal")
    .PersistKeysToFileSystem(new DirectoryInfo(paths.KeysFolder));

// The package: App_Data/protected served through signed links only, under the request path that
// appsettings.json gives ("SignedStaticFiles:RequestPath", /protected): the views and the audit read it from
// these options (ProtectedPaths), so changing it there is the only change. The configuration section is
// bound first, then this delegate.
// Where the files live: the data folder by default, or a bucket/container ("KycPortal:Store", docs/sample.md).
var storage = KycStorage.From(builder.Configuration);
storage.AddTo(builder.Services);

var documents = builder.Services.AddSignedStaticFiles(o =>
{
    o.RootPath = paths.ProtectedFolder;

    // Identity documents are only ever served watermarked: a screenshot or a saved copy names who looked,
    // when and through which link. A page's <signed-img watermark="..."> text replaces this template for its links.
    o.Watermark.Mode = WatermarkMode.Always;
    o.Watermark.Text = "KYC CONFIDENTIAL \u00b7 {user} \u00b7 {utc:yyyy-MM-dd HH:mm} UTC \u00b7 {link}";

    // A page's own stamp text must name the viewer and the link too: a view that forgot them fails to
    // render instead of handing out an image whose leak could not be traced.
    o.Watermark.RequireForensicFields = true;

    // The audit trail: a SignedStaticFilesEvents subclass resolved from DI for every request, so it takes the
    // request's database context (registered scoped below).
    o.EventsType = typeof(AuditEvents);

    // Support staff see ID cards with the document number and the MRZ filled black: a link names the profile,
    // the regions stay here (RedactionProfiles.cs).
    o.Redactions[RedactionProfiles.Support] = RedactionProfiles.SupportRegions();
}).AddImageSharp(); // the image engine (SignedStaticFiles.ImageSharp): stamps, redaction, metadata stripping
storage.Serve(documents, KycFolder.Documents);

// The second folder: each submission's agreement (PDF), served as it is (no image engine: nothing to stamp), under
// /contracts. Its links are single-use downloads (the views' <a signed-href single-use="true" download-name>):
// a PDF viewer would re-request with ranges, which a single-use link refuses, so the file is saved, not viewed.
var contracts = builder.Services.AddSignedStaticFiles(ProtectedPaths.ContractsFolder, o =>
{
    o.RequestPath = "/contracts";
    o.RootPath = paths.ContractsFolder;
    o.MaxLifetime = TimeSpan.FromMinutes(10);
    o.DefaultLifetime = TimeSpan.FromMinutes(2);
    o.EventsType = typeof(AuditEvents);   // downloads are audited like views
});
storage.Serve(contracts, KycFolder.Contracts);
builder.Services.AddScoped<AuditEvents>();
builder.Services.AddSingleton<ProtectedPaths>();

builder.Services.AddSingleton<ImageUploadProcessor>();
builder.Services.AddScoped<SubmissionStore>();
builder.Services.AddSingleton<SupportLinks>();
builder.Services.AddScoped<LinkWithdrawal>();
builder.Services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
builder.Services.AddAntiforgery(o => o.Cookie.Name = "KycPortal.Antiforgery");

var demo = DemoSeed.From(builder.Environment, builder.Configuration);
builder.Services.AddSingleton(demo);

var app = builder.Build();

await storage.EnsureCreatedAsync();
await DatabaseSetup.InitializeAsync(app.Services, demo.Enabled);

// The package keeps revocations in memory; the audit trail remembers them, so they are applied again before serving.
await LinkWithdrawal.ReapplyAsync(app.Services);

// Middleware order, top to bottom:
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Home/Error");

    // Outside Development the app is reached over HTTPS only: plain HTTP is redirected, and HSTS tells
    // browsers never to try plain HTTP again (the session cookie and the signed links never cross it).
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseSecurityHeaders();        // CSP and friends on every page (the protected path sets its own)
app.UseStaticFiles();            // wwwroot: public CSS only, never an identity document
app.UseRouting();
app.UseAuthentication();         // before the signed files, so the audit trail knows who asked
app.UseSignedStaticFiles();      // /protected/...?token=... : 403/410 unless the link is valid and the user's own
app.UseAuthorization();
app.UseRateLimiter();            // after authentication: uploads are limited per user, sign-in per client address

app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");

await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
