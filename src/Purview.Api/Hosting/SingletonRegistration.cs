using Purview.Core.Jobs;
using Purview.Storage;

namespace Purview.Api.Hosting;

/// <summary>
/// How a singleton that plays roles is registered: one instance, resolved as itself and as each role it plays (a Core
/// port, <see cref="IStorageUser"/>, <see cref="IScheduledJob"/>). A role registered with its own type would make a
/// second instance; a role forgotten leaves, say, a store whose table is never created or a job that never runs.
/// </summary>
public static class SingletonRegistration
{
    /// <summary>A storage adapter, also an <see cref="IStorageUser"/> (so that <see cref="StorageInitializer"/> creates its tables, queues or containers at start).</summary>
    public static IServiceCollection AddStorageUser<TImplementation>(this IServiceCollection services)
        where TImplementation : class, IStorageUser =>
        services.AddSingleton<TImplementation>().AddRole<IStorageUser, TImplementation>();

    /// <summary>A storage adapter and the Core port it implements.</summary>
    public static IServiceCollection AddStorageUser<TImplementation, TPort>(this IServiceCollection services)
        where TImplementation : class, TPort, IStorageUser
        where TPort : class =>
        services.AddStorageUser<TImplementation>().AddRole<TPort, TImplementation>();

    /// <summary>A job, also an <see cref="IScheduledJob"/>: the local host's timer service runs every one, a Functions timer function takes its class.</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services)
        where TJob : class, IScheduledJob =>
        services.AddSingleton<TJob>().AddRole<IScheduledJob, TJob>();

    /// <summary>The singleton registered as <typeparamref name="TImplementation"/>, resolved as <typeparamref name="TRole"/> too.</summary>
    public static IServiceCollection AddRole<TRole, TImplementation>(this IServiceCollection services)
        where TImplementation : class, TRole
        where TRole : class =>
        services.AddSingleton<TRole>(sp => sp.GetRequiredService<TImplementation>());
}
