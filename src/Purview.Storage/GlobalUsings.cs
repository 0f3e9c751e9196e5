// The namespaces nearly every store imports: the Table SDK and our adapters over it, and the BCL ones they use.
global using System.Globalization;
global using System.Runtime.CompilerServices;
global using System.Text;
global using System.Text.Json;
global using Azure;
global using Azure.Data.Tables;
global using Purview.Storage.Client;
global using Purview.Storage.Client.Tables;
