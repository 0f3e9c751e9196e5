using Azure.Core;
using Azure.Core.Pipeline;

namespace Purview.Storage.Client;

/// <summary>Appends an account or service SAS token to every request (connection strings with SharedAccessSignature).</summary>
internal sealed class SasQueryPolicy(string sas) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var query = message.Request.Uri.Query;
        if (!query.Contains("sig=", StringComparison.Ordinal))
        {
            message.Request.Uri.Query = string.IsNullOrEmpty(query) || query == "?" ? "?" + sas : query + "&" + sas;
        }
    }
}
