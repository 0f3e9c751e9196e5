// Compile-only stand-ins for the public surface of the Functions packages that cannot be restored here
// (Microsoft.Azure.Functions.Worker 2.x and its Http.AspNetCore, Timer, DurableTask and ApplicationInsights extensions).
// Names, namespaces and signatures follow the packages' own sources (see shared/reference/functions-api.md); bodies
// never run. Only what the app uses is declared: an API the app calls that is missing here fails the stub compile,
// so add it here only after checking it exists in the real package, with the same namespace and signature.
#nullable enable
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Azure.Functions.Worker
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class FunctionAttribute(string name) : Attribute
    {
        public string Name { get; } = name;
    }

    public enum AuthorizationLevel
    {
        Anonymous,
        User,
        Function,
        System,
        Admin,
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class HttpTriggerAttribute : Attribute
    {
        public HttpTriggerAttribute() { }
        public HttpTriggerAttribute(params string[] methods) => Methods = methods;
        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
        {
            AuthLevel = authLevel;
            Methods = methods;
        }

        public AuthorizationLevel AuthLevel { get; }
        public string[]? Methods { get; }
        public string? Route { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class TimerTriggerAttribute(string schedule) : Attribute
    {
        public string Schedule { get; } = schedule;
        public bool RunOnStartup { get; set; }
        public bool UseMonitor { get; set; } = true;
    }

    public class ScheduleStatus
    {
        public DateTime Last { get; set; }
        public DateTime Next { get; set; }
        public DateTime LastUpdated { get; set; }
    }

    public class TimerInfo
    {
        public ScheduleStatus? ScheduleStatus { get; set; }
        public bool IsPastDue { get; set; }
    }

    public abstract class FunctionContext
    {
        public abstract string InvocationId { get; }
        public abstract string FunctionId { get; }
        public abstract IServiceProvider InstanceServices { get; set; }
        public abstract IDictionary<object, object> Items { get; set; }
        public virtual CancellationToken CancellationToken { get; } = CancellationToken.None;
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class OrchestrationTriggerAttribute : Attribute
    {
        public string? Orchestration { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class ActivityTriggerAttribute : Attribute
    {
        public string? Activity { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class EntityTriggerAttribute : Attribute
    {
        public string? EntityName { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class DurableClientAttribute : Attribute
    {
        public string? TaskHub { get; set; }
        public string? ConnectionName { get; set; }
    }

    public abstract class TaskEntityDispatcher
    {
        public abstract Task DispatchAsync<T>() where T : Microsoft.DurableTask.Entities.ITaskEntity;
        public abstract Task DispatchAsync(Microsoft.DurableTask.Entities.ITaskEntity entity);
    }

    public static class FunctionsApplicationInsightsExtensions
    {
        public static IServiceCollection ConfigureFunctionsApplicationInsights(this IServiceCollection services) => throw null!;
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public class FunctionsApplicationBuilder : IHostApplicationBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
        public ConfigurationManager Configuration { get; } = new();
        IConfigurationManager IHostApplicationBuilder.Configuration => Configuration;
        public IHostEnvironment Environment => throw null!;
        public Microsoft.Extensions.Logging.ILoggingBuilder Logging => throw null!;
        public Microsoft.Extensions.Diagnostics.Metrics.IMetricsBuilder Metrics => throw null!;
        public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();
        public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
            where TContainerBuilder : notnull => throw null!;
        public IHost Build() => throw null!;
    }

    public static class FunctionsApplication
    {
        public static FunctionsApplicationBuilder CreateBuilder(string[] args) => throw null!;
    }

    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) => throw null!;
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    public static class ApplicationInsightsExtensions
    {
        public static IServiceCollection AddApplicationInsightsTelemetryWorkerService(this IServiceCollection services) => throw null!;
    }
}

namespace Microsoft.DurableTask
{
    using Microsoft.DurableTask.Entities;
    using Microsoft.Extensions.Logging;

    public readonly struct TaskName(string name) : IEquatable<TaskName>
    {
        public string Name { get; } = name;
        public static implicit operator TaskName(string? value) => new(value ?? string.Empty);
        public bool Equals(TaskName other) => Name == other.Name;
        public override bool Equals(object? obj) => obj is TaskName other && Equals(other);
        public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
    }

    public class RetryPolicy
    {
        public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null) { }
    }

    public class TaskOptions
    {
        public static TaskOptions FromRetryPolicy(RetryPolicy policy) => throw null!;
    }

    public record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace, TaskFailureDetails? InnerFailure);

    public sealed class TaskFailedException : Exception
    {
        public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails) { FailureDetails = failureDetails; TaskName = taskName; TaskId = taskId; }
        public string TaskName { get; }
        public int TaskId { get; }
        public TaskFailureDetails FailureDetails { get; }
    }

    public abstract class TaskOrchestrationContext
    {
        public abstract TaskName Name { get; }
        public abstract string InstanceId { get; }
        public abstract bool IsReplaying { get; }
        public abstract DateTime CurrentUtcDateTime { get; }
        public abstract TaskOrchestrationEntityFeature Entities { get; }
        public abstract T? GetInput<T>();
        public abstract Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null);
        public virtual Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null) => throw null!;
        public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);
        public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) => throw null!;
        public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);
        public virtual Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout) => throw null!;
        public abstract void SetCustomStatus(object? customStatus);
        public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);
        public abstract Guid NewGuid();
        public virtual ILogger CreateReplaySafeLogger(string categoryName) => throw null!;
    }
}

namespace Microsoft.DurableTask.Entities
{
    public readonly record struct EntityInstanceId(string Name, string Key);

    public class CallEntityOptions;

    public class SignalEntityOptions;

    public interface ITaskEntity;

    public abstract class TaskEntity<TState> : ITaskEntity
    {
        protected TState State { get; set; } = default!;
    }

    public abstract class TaskOrchestrationEntityFeature
    {
        public abstract Task<TResult> CallEntityAsync<TResult>(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null);
        public abstract Task CallEntityAsync(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null);
        public abstract Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null);
    }
}

namespace Microsoft.DurableTask.Client
{
    using Microsoft.DurableTask;

    public enum OrchestrationRuntimeStatus
    {
        Running,
        Completed,
        ContinuedAsNew,
        Failed,
        Canceled,
        Terminated,
        Pending,
        Suspended,
    }

    public sealed class OrchestrationMetadata(string name, string instanceId)
    {
        public string Name { get; } = name;
        public string InstanceId { get; } = instanceId;
        public OrchestrationRuntimeStatus RuntimeStatus { get; init; }
        public bool IsRunning => RuntimeStatus == OrchestrationRuntimeStatus.Running;
        public bool IsCompleted => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
    }

    public record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);

    public abstract class DurableTaskClient
    {
        public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input, StartOrchestrationOptions? options, CancellationToken cancellation = default) => throw null!;
        public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, CancellationToken cancellation = default) => throw null!;
        public virtual Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw null!;
        public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw null!;
        public virtual Task TerminateInstanceAsync(string instanceId, object? output, CancellationToken cancellation = default) => throw null!;
    }
}
