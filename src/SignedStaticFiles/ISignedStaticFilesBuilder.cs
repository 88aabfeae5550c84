using Microsoft.Extensions.DependencyInjection;

namespace SignedStaticFiles;

/// <summary>Returned by <c>AddSignedStaticFiles</c>: the place where add-on packages plug in.</summary>
public interface ISignedStaticFilesBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>The folder's name: <c>Options.DefaultName</c> (<c>""</c>) for the default folder.</summary>
    string Name { get; }
}
