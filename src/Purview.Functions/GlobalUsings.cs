// What every function file of this project uses: ASP.NET Core's request and results, the worker's attributes, and
// the handler pipeline the functions share with the local host's middleware, with the route groups' policies.
global using Microsoft.AspNetCore.Http;
global using Microsoft.Azure.Functions.Worker;
global using Purview.Api.Access;
global using Purview.Api.Http;
