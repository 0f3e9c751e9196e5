using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.FileProviders;

namespace Purview.LocalHost.Web;

/// <summary>
/// Serves the dashboard (src/Purview.Web/dist, built by ./run.sh and ./test.sh) at "/": its files, and index.html for
/// any other GET of a path that is not the API's, so a reload of a page's address works. API paths are never
/// answered with the page: their first segment is read from the route table, so an unknown API route keeps its
/// 404 problem body. The front end is not part of the Functions app (in Azure it is a static site).
/// </summary>
public static class WebFrontEnd
{
    /// <summary><c>Web:Root</c>: the built front end; default src/Purview.Web/dist next to the host's project folder.</summary>
    public const string RootKey = "Web:Root";

    public static string ResolveRoot(IConfiguration configuration, IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration[RootKey];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "..", "Purview.Web", "dist")
            : Path.Combine(environment.ContentRootPath, configured));
    }

    /// <summary>Runs first in the pipeline: static files need no caller, and everything else goes on to the API.</summary>
    public static WebApplication UseWebFrontEnd(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = ResolveRoot(app.Configuration, app.Environment);
        var index = Path.Combine(root, "index.html");
        var apiSegments = new Lazy<HashSet<string>>(() => ApiFirstSegments(app));
        if (Directory.Exists(root))
        {
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // Hashed asset names change with their content; index.html must be fetched again after a build.
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = c.File.Name == "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
            });
        }

        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && IsPagePath(request.Path, apiSegments.Value))
            {
                context.Response.Headers.CacheControl = "no-cache";
                if (File.Exists(index))
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.SendFileAsync(index, context.RequestAborted);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(NotBuiltPage(root), context.RequestAborted);
                }

                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>A page path: not under an API route's first segment and without a file extension (a missing asset stays a 404).</summary>
    public static bool IsPagePath(PathString path, IReadOnlySet<string> apiSegments)
    {
        ArgumentNullException.ThrowIfNull(apiSegments);
        var value = path.Value ?? "/";
        var first = value.TrimStart('/').Split('/', 2)[0];
        if (first.Length > 0 && apiSegments.Contains(first.Split(':', 2)[0]))
        {
            return false;
        }

        var last = value[(value.LastIndexOf('/') + 1)..];
        return !last.Contains('.', StringComparison.Ordinal);
    }

    private static HashSet<string> ApiFirstSegments(WebApplication app)
    {
        var segments = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var first = endpoint.RoutePattern.PathSegments.Count > 0 ? endpoint.RoutePattern.PathSegments[0] : null;
            if (first is { IsSimple: true } && first.Parts[0] is RoutePatternLiteralPart literal)
            {
                segments.Add(literal.Content);
            }
        }

        return segments;
    }

    private static string NotBuiltPage(string root) =>
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Purview Monitor</title><body style=\"font-family:system-ui;margin:40px\">" +
        "<h1>The dashboard is not built</h1><p>No front end at <code>" + System.Net.WebUtility.HtmlEncode(root) + "</code>. " +
        "Run <code>./run.sh</code> (it builds it), or <code>npm ci &amp;&amp; npm run build</code> in <code>src/Purview.Web</code>. The API answers meanwhile.</p></body></html>";
}
