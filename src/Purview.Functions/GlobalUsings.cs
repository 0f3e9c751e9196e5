// What every function file of this project uses: ASP.NET Core's request and results, the worker's attributes, and
// the handler pipeline the functions share with the local host's middleware.
global using Microsoft.AspNetCore.Http;
global using Microsoft.Azure.Functions.Worker;
global using Purview.Api.Http;
