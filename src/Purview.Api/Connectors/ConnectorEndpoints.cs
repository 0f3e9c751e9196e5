using Purview.Api.Hosting;
using System.Globalization;
using Purview.Core.Access;
using Purview.Core.Connectors;
using Purview.Storage;
using Purview.Storage.Connectors;

namespace Purview.Api.Connectors;

/// <summary>Data connectors: organisation settings, connectors, user mappings, imports and daily admin logs (Connector admin only).</summary>
public static class ConnectorEndpoints
{
    /// <summary>Imports stream their body; 256 MB holds about a million small items.</summary>
    public const long ImportBodyLimit = 256L * 1024 * 1024;

    public const long MappingsBodyLimit = 4L * 1024 * 1024;

    public const long SmallBodyLimit = 16 * 1024;

    public static IServiceCollection AddConnectors(this IServiceCollection services)
    {
        services.AddStorageUser<TableConnectorStore, IConnectorStore>();
        services.AddStorageUser<TableImportStore, IImportStore>();
        services.AddStorageUser<BlobAdminLogStore, IAdminLogStore>();
        services.AddSingleton<ConnectorService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<AdminLogService>();
        services.AddScheduledJob<AdminLogJob>();
        services.AddScheduledJob<ConnectorRetentionJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapConnectorEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/connectors").WithTags("Data connectors").RequireAuthorization(AccessPolicies.ConnectorAdmin);
        group.MapGet("/settings", GetSettings).WithName("GetConnectorSettings").WithSummary("The organisation's data-connector settings (auditing).");
        group.MapPut("/settings", PutSettings).WithName("PutConnectorSettings").WithSummary("Turns auditing of connector imports on or off.").WithBodyLimit(SmallBodyLimit);
        group.MapPost("/admin-logs:generate", GenerateAdminLogs).WithName("GenerateAdminLogs").WithSummary("Generates every connector's admin log for a day (default yesterday, UTC) and lists them.");
        group.MapGet("", ListConnectors).WithName("ListConnectors").WithSummary("The data connectors.");
        group.MapGet("/{connectorId}", GetConnector).WithName("GetConnector").WithSummary("One data connector.");
        group.MapPut("/{connectorId}", PutConnector).WithName("PutConnector").WithSummary("Creates (201) or updates (200) a data connector: name and source type.").WithBodyLimit(SmallBodyLimit);
        group.MapDelete("/{connectorId}", DeleteConnector).WithName("DeleteConnector").WithSummary("Deletes a data connector.");
        group.MapPut("/{connectorId}/user-mappings", PutUserMappings).WithName("PutUserMappings").WithSummary("Merges (mode=merge, default) or replaces (mode=replace) the connector's source-user to mailbox mappings.").WithBodyLimit(MappingsBodyLimit);
        group.MapGet("/{connectorId}/user-mappings", ListUserMappings).WithName("ListUserMappings").WithSummary("The connector's user mappings, paged with top and continuationToken.");
        group.MapPost("/{connectorId}/imports", Import).WithName("ImportItems").WithSummary("Imports a batch of items (streamed); the same importId or the same bytes again answers the first summary (200).")
            .Accepts<ImportRequest>("application/json").WithBodyLimit(ImportBodyLimit);
        group.MapGet("/{connectorId}/admin-logs", ListAdminLogs).WithName("ListAdminLogs").WithSummary("The connector's daily admin logs (7 days kept).");
        group.MapGet("/{connectorId}/admin-logs/{date}", DownloadAdminLog).WithName("DownloadAdminLog").WithSummary("One day's admin log as CSV, or a redirect to a short-lived download URL (redirect=true).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").Produces(StatusCodes.Status302Found);
        return routes;
    }

    public static async Task<Ok<ConnectorSettings>> GetSettings(ConnectorService connectors, CancellationToken cancellationToken) =>
        TypedResults.Ok(await connectors.GetSettingsAsync(cancellationToken));

    public static async Task<Ok<ConnectorSettings>> PutSettings(SettingsRequest body, HttpContext http, ConnectorService connectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return TypedResults.Ok(await connectors.PutSettingsAsync(http.GetCaller(), new ConnectorSettings(body.AuditingEnabled), cancellationToken));
    }

    public static async Task<Ok<ListResponse<Connector>>> ListConnectors(ConnectorService connectors, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of((await connectors.ListAsync(cancellationToken)).OrderBy(c => c.Id, StringComparer.OrdinalIgnoreCase).ToList()));

    public static async Task<Results<Ok<Connector>, ProblemHttpResult>> GetConnector(string connectorId, ConnectorService connectors, CancellationToken cancellationToken) =>
        ApiResults.Ok(await connectors.GetAsync(connectorId, cancellationToken));

    public static async Task<Results<Created<Connector>, Ok<Connector>, ProblemHttpResult>> PutConnector(
        string connectorId, ConnectorRequest body, HttpContext http, ConnectorService connectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = await connectors.PutAsync(http.GetCaller(), connectorId, body.Name, body.SourceType, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => r.Connector, _ => $"/connectors/{Uri.EscapeDataString(connectorId)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteConnector(string connectorId, HttpContext http, ConnectorService connectors, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await connectors.DeleteAsync(http.GetCaller(), connectorId, cancellationToken));

    public static async Task<Results<Ok<MappingsResult>, ProblemHttpResult>> PutUserMappings(
        string connectorId, UserMappingsRequest body, HttpContext http, ConnectorService connectors, CancellationToken cancellationToken, string? mode = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = await connectors.PutMappingsAsync(http.GetCaller(), connectorId, body.Mappings, mode, cancellationToken);
        return ApiResults.Ok(result, count => new MappingsResult(count, string.Equals(mode, "replace", StringComparison.OrdinalIgnoreCase) ? "replace" : "merge"));
    }

    public static async Task<Results<Ok<ListResponse<UserMapping>>, ProblemHttpResult>> ListUserMappings(
        string connectorId, ConnectorService connectors, CancellationToken cancellationToken, string? top = null, string? continuationToken = null)
    {
        var size = 100;
        if (top is not null && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            return ApiResults.Validation("top", "top is a whole number from 1 to 1000.");
        }

        if (continuationToken is { Length: 0 or > 2048 })
        {
            return ApiResults.Validation("continuationToken", "continuationToken is not one this API returned.");
        }

        var result = await connectors.ListMappingsAsync(connectorId, size, continuationToken, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        var (page, token) = result.Value;
        var next = token is null ? null : $"/connectors/{Uri.EscapeDataString(connectorId)}/user-mappings?top={size}&continuationToken={Uri.EscapeDataString(token)}";
        return TypedResults.Ok(ListResponse.Of(page, next));
    }

    public static async Task<Results<Created<ImportResponse>, Ok<ImportResponse>, ProblemHttpResult>> Import(
        string connectorId, HttpContext http, ImportService imports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a JSON body (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        var result = await imports.ImportAsync(http.GetCaller(), connectorId, http.Request.Body, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        var response = ImportResponse.From(result.Value.Summary);
        return result.Value.Replayed
            ? TypedResults.Ok(response)
            : TypedResults.Created((string?)null, response);
    }

    public static async Task<Results<Ok<ListResponse<AdminLogResponse>>, ProblemHttpResult>> GenerateAdminLogs(
        HttpContext http, AdminLogService logs, AccessService access, TimeProvider time, CancellationToken cancellationToken, string? date = null)
    {
        var day = AdminLogService.ValidateGenerateDay(date, time.GetUtcNow());
        if (!day.IsSuccess)
        {
            return ApiResults.Problem(day.Error!);
        }

        var result = await logs.GenerateAllAsync(day.Value, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        await access.AuditAsync(http.GetCaller(), "connectors.adminlogs.generate", day.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, $"{result.Value!.Count} logs", cancellationToken);
        return TypedResults.Ok(ListResponse.Of(result.Value!, AdminLogResponse.From));
    }

    public static async Task<Results<Ok<ListResponse<AdminLogResponse>>, ProblemHttpResult>> ListAdminLogs(string connectorId, AdminLogService logs, CancellationToken cancellationToken) =>
        ApiResults.Ok(await logs.ListAsync(connectorId, cancellationToken), v => ListResponse.Of(v, AdminLogResponse.From));

    public static async Task<IResult> DownloadAdminLog(string connectorId, string date, AdminLogService logs, CancellationToken cancellationToken, string? redirect = null)
    {
        if (redirect is not null && !bool.TryParse(redirect, out _))
        {
            return ApiResults.Validation("redirect", "redirect is true or false.");
        }

        if (redirect is not null && bool.Parse(redirect))
        {
            var url = await logs.GetDownloadUrlAsync(connectorId, date, cancellationToken);
            return url.IsSuccess ? TypedResults.Redirect(url.Value!.AbsoluteUri) : ApiResults.Problem(url.Error!);
        }

        var opened = await logs.OpenAsync(connectorId, date, cancellationToken);
        return opened.IsSuccess
            ? TypedResults.Stream(opened.Value.Content, "text/csv; charset=utf-8", $"{connectorId.ToLowerInvariant()}-admin-log-{date}.csv")
            : ApiResults.Problem(opened.Error!);
    }
}

public sealed record SettingsRequest(bool AuditingEnabled);

/// <summary>
/// The body of an import, for the OpenAPI document: the handler streams it through <see cref="ImportService"/>'s
/// reader rather than binding it, so that a million items never stand in memory at once.
/// </summary>
public sealed record ImportRequest(string? ImportId, IReadOnlyList<ImportItem> Items);

public sealed record ConnectorRequest(string Name, string SourceType);

public sealed record UserMappingsRequest(IReadOnlyList<UserMapping?> Mappings);

public sealed record MappingsResult(int Count, string Mode);

public sealed record ImportResponse(
    string ImportId,
    DateTimeOffset ImportCompletionTime,
    long ItemsAvailableFromSource,
    long ItemsAvailableForImport,
    long ItemsImportedSuccessfully,
    long ItemsPartiallyImported,
    long ItemsSkipped,
    long ItemsFailed)
{
    public static ImportResponse From(ImportSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.ImportId, s.ImportCompletionTime, s.ItemsAvailableFromSource, s.ItemsAvailableForImport, s.ItemsImportedSuccessfully, s.ItemsPartiallyImported, s.ItemsSkipped, s.ItemsFailed);
    }
}

public sealed record AdminLogResponse(string ConnectorId, string Date, long SizeBytes, DateTimeOffset? GeneratedAt, int InvariantViolations, string DownloadLink)
{
    public static AdminLogResponse From(AdminLogInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var date = info.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new(info.ConnectorId, date, info.SizeBytes, info.GeneratedAt, info.InvariantViolations, $"/connectors/{Uri.EscapeDataString(info.ConnectorId)}/admin-logs/{date}");
    }
}
