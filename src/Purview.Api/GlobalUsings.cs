// The namespaces every endpoint and registration file of this project uses: what the Web SDK's implicit usings would
// bring (ASP.NET Core's routing and results, configuration, DI, hosting, logging), our HTTP helpers, and the caller,
// list shape and policies of Api/Access.
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Routing;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using Microsoft.Extensions.Logging;
global using Purview.Api.Access;
global using Purview.Api.Http;
// ScanRuns/Durable keeps its own usings: the Functions drift guard compiles those files with the Functions app's sources.
