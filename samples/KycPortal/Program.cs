// KycPortal: a small KYC upload-and-review application showing SignedStaticFiles end to end.
// Identity documents live in App_Data/protected (outside wwwroot); pages show them only through
// short-lived signed links bound to the signed-in user, and every serve or refusal is audited.
using KycPortal.Data;
using KycPortal.Infrastructure;
using KycPortal.Services;
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
        o.Lockout.MaxFailedAccessAttempts = 5;
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

// The key ring signs the links and the auth cookie: persisted, so links and sessions survive restarts.
builder.Services.AddDataProtection()
    .SetApplicationName("KycPortal")
    .PersistKeysToFileSystem(new DirectoryInfo(paths.KeysFolder));

// The package: App_Data/protected served under /protected through signed links only. The
// "SignedStaticFiles" configuration section is bound first (appsettings.json), then this delegate.
builder.Services.AddSignedStaticFiles(o =>
{
    o.RequestPath = "/protected";
    o.RootPath = paths.ProtectedFolder;

    // Identity documents are only ever served watermarked: a screenshot or a saved copy names who looked
    // and when. A page's <signed-img watermark="..."> text replaces this template for its links.
    o.Watermark.Mode = WatermarkMode.Always;
    o.Watermark.Text = "KYC CONFIDENTIAL \u00b7 {user} \u00b7 {utc:yyyy-MM-dd HH:mm} UTC \u00b7 {link}";
    o.Events.OnServed = AuditTrail.RecordAsync;
    o.Events.OnRejected = AuditTrail.RecordAsync;
}).AddImageSharp(); // the image engine (SignedStaticFiles.ImageSharp): stamps, redaction, metadata stripping

builder.Services.AddSingleton<ImageUploadProcessor>();
builder.Services.AddScoped<SubmissionStore>();
builder.Services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
builder.Services.AddAntiforgery(o => o.Cookie.Name = "KycPortal.Antiforgery");

var app = builder.Build();

await DatabaseSetup.InitializeAsync(app.Services, seedDemoData: app.Environment.IsDevelopment()
    || app.Configuration.GetValue<bool>("KycPortal:SeedDemoData"));

// Middleware order, top to bottom:
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Home/Error");
}

app.UseSecurityHeaders();        // CSP and friends on every page (the protected path sets its own)
app.UseStaticFiles();            // wwwroot: public CSS only, never an identity document
app.UseRouting();
app.UseAuthentication();         // before the signed files, so the audit trail knows who asked
app.UseSignedStaticFiles();      // /protected/...?token=... : 403/410 unless the link is valid and the user's own
app.UseAuthorization();

app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");

await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
