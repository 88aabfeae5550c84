namespace KycPortal.Data;

/// <summary>
/// Whether this run seeds the demo accounts and submission (Development, or <c>KycPortal:SeedDemoData</c>):
/// the sign-in page lists the accounts only then.
/// </summary>
public sealed record DemoSeed(bool Enabled)
{
    public static DemoSeed From(IHostEnvironment environment, IConfiguration configuration) =>
        new(environment.IsDevelopment() || configuration.GetValue<bool>("KycPortal:SeedDemoData"));
}
