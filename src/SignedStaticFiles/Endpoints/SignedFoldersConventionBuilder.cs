using Microsoft.AspNetCore.Builder;

namespace SignedStaticFiles.Endpoints;

/// <summary>
/// The one builder <c>MapSignedStaticFiles()</c> returns: a convention (authorization, rate limiting, CORS, …)
/// added once applies to the endpoint of every folder.
/// </summary>
internal sealed class SignedFoldersConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
