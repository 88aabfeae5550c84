namespace KycPortal.Infrastructure;

/// <summary>
/// Where the app keeps its data: <c>KycPortal:DataPath</c> (absolute or relative to the content root),
/// default <c>App_Data</c>. The protected folder must stay outside <c>wwwroot</c>; the package refuses
/// to start otherwise.
/// </summary>
public sealed class KycPaths
{
    private KycPaths(string dataFolder)
    {
        DataFolder = dataFolder;
        ProtectedFolder = Path.Combine(dataFolder, "protected");
        ContractsFolder = Path.Combine(dataFolder, "contracts");
        KeysFolder = Path.Combine(dataFolder, "keys");
        DatabaseFile = Path.Combine(dataFolder, "kyc.db");
    }

    public string DataFolder { get; }
    public string ProtectedFolder { get; }

    /// <summary>The second signed folder: the submissions' contracts (PDF), served as they are.</summary>
    public string ContractsFolder { get; }
    public string KeysFolder { get; }
    public string DatabaseFile { get; }

    public static KycPaths From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["KycPortal:DataPath"];
        return new KycPaths(Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured, environment.ContentRootPath));
    }

    public void EnsureCreated()
    {
        Directory.CreateDirectory(ProtectedFolder);
        Directory.CreateDirectory(ContractsFolder);
        Directory.CreateDirectory(KeysFolder);
    }

    /// <summary>The full path of a file stored under the protected folder (<c>kyc/{key}/{name}</c>).</summary>
    public string ProtectedFile(string relativePath) => Path.Combine(ProtectedFolder, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The full path of a file stored under the contracts folder (<c>kyc/{key}/{name}</c>).</summary>
    public string ContractFile(string relativePath) => Path.Combine(ContractsFolder, relativePath.Replace('/', Path.DirectorySeparatorChar));
}
