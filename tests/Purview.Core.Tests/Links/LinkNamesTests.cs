using Purview.Core.Links;
using Xunit;

namespace Purview.Core.Tests.Links;

public sealed class LinkNamesTests
{
    [Theory]
    [InlineData("airflow-prod")]
    [InlineData("s3://bucket/prefix")]
    [InlineData("postgres://db:5432")]
    [InlineData("a..b")]
    public void OpenLineage_namespaces_are_URI_characters(string name) => Assert.Null(LinkNames.Validate(LinkSourceType.OpenLineage, name));

    [Theory]
    [InlineData("../../secrets")]
    [InlineData("s3://bucket/../other")]
    [InlineData("./here")]
    [InlineData("with space")]
    public void Relative_path_segments_and_non_URI_characters_are_refused(string name) => Assert.NotNull(LinkNames.Validate(LinkSourceType.OpenLineage, name));
}
