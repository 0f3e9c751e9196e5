using Purview.Core.Classification;
using Xunit;

namespace Purview.Core.Tests.Classification;

public sealed class RecordVersionTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 17, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_record_is_version_1_created_and_modified_now_under_the_name_it_was_put_with()
    {
        var version = RecordVersion.Next(null, "Employee-Ids", Now);

        Assert.Equal(new RecordVersion("Employee-Ids", 1, Now, Now), version);
    }

    [Fact]
    public void A_replace_is_the_next_version_keeping_the_stored_name_and_creation_time()
    {
        var stored = new ClassificationRule("Employee-Ids", "CONTOSO.EMPLOYEE_ID", null, true, 60, ["E\\d{6}"], [], 4, Created, Created.AddDays(1));

        var version = RecordVersion.Next(stored, "employee-ids", Now);

        Assert.Equal(new RecordVersion("Employee-Ids", 5, Created, Now), version);
    }

    [Fact]
    public void Rule_sets_are_versioned_the_same_way()
    {
        var stored = new ScanRuleset("Strict", "AzureStorage", false, null, [], [], [], [], 1, Created, Created);

        Assert.Equal(new RecordVersion("Strict", 2, Created, Now), RecordVersion.Next(stored, "STRICT", Now));
    }
}
