using Microsoft.Extensions.DependencyInjection;
using Purview.Storage;

namespace Purview.Api.Hosting;

/// <summary>
/// How a storage adapter is registered: one singleton, resolved as itself, as the Core port it implements and as an
/// <see cref="IStorageUser"/> (so that <see cref="StorageInitializer"/> creates its tables, queues or containers at start).
/// The three registrations share one instance; forgetting the last one leaves a store whose table is never created.
/// </summary>
public static class StorageUserRegistration
{
    public static IServiceCollection AddStorageUser<TImplementation>(this IServiceCollection services)
        where TImplementation : class, IStorageUser
    {
        services.AddSingleton<TImplementation>();
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TImplementation>());
        return services;
    }

    public static IServiceCollection AddStorageUser<TImplementation, TPort>(this IServiceCollection services)
        where TImplementation : class, TPort, IStorageUser
        where TPort : class
    {
        services.AddStorageUser<TImplementation>();
        services.AddSingleton<TPort>(sp => sp.GetRequiredService<TImplementation>());
        return services;
    }
}
