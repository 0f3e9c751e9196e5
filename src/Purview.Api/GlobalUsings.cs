// The ASP.NET Core namespaces every endpoint file of this project uses (what the Web SDK's implicit usings would bring).
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Routing;
global using Purview.Api.Http;
