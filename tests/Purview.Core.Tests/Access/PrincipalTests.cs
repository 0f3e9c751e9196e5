using Purview.Core.Access;
using Xunit;

namespace Purview.Core.Tests.Access;

public sealed class PrincipalTests
{
    [Fact]
    public void Names_compare_without_case()
    {
        var alice = new Principal("Alice@Contoso.com", "0F0E0D0C-0000-4000-8000-000000000003", AuthenticationKinds.EntraId);

        Assert.True(alice.HasName("alice@contoso.com"));
        Assert.Equal(new Principal("alice@contoso.com", "0f0e0d0c-0000-4000-8000-000000000003", AuthenticationKinds.EntraId), alice);
        Assert.Equal(
            new Principal("alice@contoso.com", "0f0e0d0c-0000-4000-8000-000000000003", AuthenticationKinds.EntraId).GetHashCode(),
            alice.GetHashCode());
        Assert.Contains("ALICE@CONTOSO.COM", new HashSet<string>([alice.Name], Principal.NameComparer));
    }

    [Fact]
    public void Different_names_or_kinds_are_different_principals()
    {
        var alice = new Principal("alice@contoso.com", null, AuthenticationKinds.DevelopmentToken);

        Assert.NotEqual(new Principal("bob@contoso.com", null, AuthenticationKinds.DevelopmentToken), alice);
        Assert.NotEqual(new Principal("alice@contoso.com", null, AuthenticationKinds.EntraId), alice);
        Assert.False(alice.HasName(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_principal_needs_a_name(string name) =>
        Assert.Throws<ArgumentException>(() => new Principal(name, null, AuthenticationKinds.EntraId));

    [Fact]
    public void A_blank_object_id_is_no_object_id() =>
        Assert.Null(new Principal("alice@contoso.com", " ", AuthenticationKinds.EntraId).ObjectId);

    [Theory]
    [InlineData("alice@contoso.com")]
    [InlineData("o'brien@contoso.com")]
    [InlineData("0f0e0d0c-0000-4000-8000-000000000003")]
    [InlineData("admin")]
    [InlineData("jürgen@münchen.de")]
    [InlineData("first.last_x-y!z#a^b~c@contoso.com")]
    public void Names_an_identity_provider_issues_are_valid(string name) => Assert.True(Principal.IsValidName(name));

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("../../secrets")]
    [InlineData("x' or PartitionKey ne '")]
    [InlineData("a#b?c=d")]
    [InlineData("\u202etxt.exe")]
    [InlineData("\ud83d\ude00")]
    [InlineData("tab\there")]
    public void Paths_spaces_query_syntax_bidi_and_emoji_are_not_principal_names(string name) => Assert.False(Principal.IsValidName(name));

    [Fact]
    public void A_name_of_257_characters_is_too_long() => Assert.False(Principal.IsValidName(new string('a', 257)));
}
