namespace ConvService.Api.Infrastructure;

/// <summary>Names the replica that answered on every response, so a load-balanced deployment can be traced.</summary>
public static class ReplicaHeader
{
    public const string Name = "X-Replica";

    /// <summary>ConvService:Replica when set, else the host name (the container id under Docker, the pod name on Kubernetes).</summary>
    public static string Resolve(IConfiguration configuration) =>
        configuration["ConvService:Replica"] is { Length: > 0 } configured ? configured : Environment.MachineName;

    public static IApplicationBuilder UseReplicaHeader(this IApplicationBuilder app, string replica) =>
        app.Use((context, next) =>
        {
            // Set when the response starts, so the exception handler's cleared headers do not lose it.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Name] = replica;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
