using Purview.Core.Classification;
using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Classification;

/// <summary>
/// Every detector through the classifier as a scan applies it: published examples (or values whose check digits were
/// computed by an independent implementation of the scheme) are classified; the same values with one digit or letter
/// changed - so that the checksum fails - are not. Detectors that need a column hint get the hint's column name.
/// </summary>
public sealed class SystemClassificationsTests
{
    private static readonly ColumnClassifier SystemSet = ScanRuleset.System("AzureStorage").Classifier([]);

    /// <summary>Name, column name, valid values, near misses (checksum or range fails).</summary>
    public static TheoryData<string, string, string[], string[]> Detectors() => new()
    {
        // Financial
        { "MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER", "card", ["4111111111111111", "5500 0000 0000 0004", "378282246310005"], ["4111111111111112", "5500 0000 0000 0005", "378282246310006"] },
        { "MICROSOFT.FINANCIAL.EU.DEBIT_CARD_NUMBER", "debit_card", ["4111 1111 1111 1111", "5500-0000-0000-0004"], ["4111 1111 1111 1112", "5500-0000-0000-0005"] },
        { "MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER", "iban", ["GB82WEST12345698765432", "ES9121000418450200051332", "BR1800360305000010009795493C1"], ["GB82WEST12345698765433", "ES9121000418450200051333", "BR1800360305000010009795493C2"] },
        { "MICROSOFT.FINANCIAL.SWIFT_CODE", "swift_code", ["DEUTDEFF", "NEDSZAJJXXX", "BOFAUS3N"], ["DEUTQQFF", "NEDS1AJJXXX", "BOFAUS30"] },
        { "MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER", "routing", ["011000015", "0210-0002-1", "121000358"], ["011000016", "0210-0002-2", "121000359"] },
        { "MICROSOFT.FINANCIAL.US.BANK_ACCOUNT_NUMBER", "bank_account", ["123456789012", "00012345678"], ["12345", "000000000"] },
        { "MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER", "account_number", ["062-000 12345678", "1234567"], ["062-00 12345678", "12345"] },
        { "MICROSOFT.FINANCIAL.CANADA.BANK_ACCOUNT_NUMBER", "bank_acct", ["12345-678 1234567", "123456789012"], ["12345-678 123456", "1234567890"] },

        // Contact, network, location
        { "MICROSOFT.PERSONAL.EMAIL", "contact", ["ada@example.com", "grace.hopper@navy.mil"], ["ada@example", "ada..b@example.com"] },
        { "MICROSOFT.PERSONAL.US.PHONE_NUMBER", "phone", ["(212) 555-0123", "+1 202 555 0143"], ["(012) 555-0123", "212-155-0123"] },
        { "MICROSOFT.PERSONAL.EU.PHONE_NUMBER", "contact", ["+44 20 7946 0958", "+33 1 23 45 67 89", "+49 (0)30 1234567", "0039 06 1234 5678"], ["+1 202 555 0143", "+99 20 7946 0958", "+44 20", "44 20 7946 0958"] },
        { "MICROSOFT.PERSONAL.EU.PHONE_NUMBER", "telephone", ["020 7946 0958", "01 23 45 67 89"], ["20 7946 0958", "00 23 45 67 89"] },
        { "MICROSOFT.PERSONAL.IPADDRESS", "host", ["10.0.0.1", "2001:db8::1"], ["256.0.0.1", "2001:db8:::1"] },
        { "MICROSOFT.PERSONAL.GEOLOCATION", "position", ["47.6062, -122.3321", "-33.8688,151.2093"], ["97.6062, -122.3321", "47.6062, -222.3321"] },
        { "MICROSOFT.GOVERNMENT.US.ZIP_CODE", "zip", ["98052", "98052-6399"], ["9805", "98052-639"] },
        { "MICROSOFT.GOVERNMENT.US.STATE", "address", ["Washington", "new york"], ["Washingtom", "New Yorkshire"] },
        { "MICROSOFT.GOVERNMENT.US.STATE", "state", ["WA", "NY"], ["WX", "NQ"] },

        // Americas
        { "MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER", "ssn", ["123-45-6789", "536 22 8726"], ["666-45-6789", "536 22 0000"] },
        { "MICROSOFT.GOVERNMENT.US.INDIVIDUAL_TAXPAYER_IDENTIFICATION_NUMBER", "tin", ["912-70-1234", "900 88 5678", "999941234"], ["912-69-1234", "800 88 5678", "999931234"] },
        { "MICROSOFT.GOVERNMENT.US_UK.PASSPORT_NUMBER", "passport_no", ["123456789"], ["12345678"] },
        { "MICROSOFT.GOVERNMENT.CANADA.SOCIAL_INSURANCE_NUMBER", "id", ["046-454-286", "130 692 544"], ["046-454-287", "130 692 545"] },
        { "MICROSOFT.GOVERNMENT.CANADA.SOCIAL_INSURANCE_NUMBER", "customer_sin", ["046454286"], ["046454287"] },
        { "MICROSOFT.GOVERNMENT.CANADA.PASSPORT_NUMBER", "passport", ["AB123456"], ["AB12345"] },
        { "MICROSOFT.GOVERNMENT.BRAZIL.CPF_NUMBER", "cpf", ["111.444.777-35", "529.982.247-25", "39053344705"], ["111.444.777-36", "529.982.247-24", "39053344706"] },
        { "MICROSOFT.GOVERNMENT.BRAZIL.LEGAL_ENTITY_NUMBER", "cnpj", ["11.222.333/0001-81", "11222333000181"], ["11.222.333/0001-82", "11222333000180"] },
        { "MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER", "rut", ["12.345.678-5", "7.654.321-6"], ["12.345.678-4", "7.654.321-K"] },

        // Europe
        { "MICROSOFT.GOVERNMENT.UK.NATIONAL_INSURANCE_NUMBER", "ni", ["AB123456C", "AB 12 34 56 C"], ["QQ123456C", "AB123456E"] },
        { "MICROSOFT.GOVERNMENT.UK.NATIONAL_HEALTH_SERVICE_NUMBER", "nhs", ["943 476 5919", "4010232137"], ["943 476 5918", "4010232138"] },
        { "MICROSOFT.GOVERNMENT.UK.UNIQUE.TAXPAYER.REFERENCE.NUMBER", "utr", ["1234567890"], ["123456789"] },
        { "MICROSOFT.GOVERNMENT.FRANCE.SOCIAL_SECURITY_NUMBER", "insee", ["2 55 08 14 168 025 38", "1 84 12 2A 124 456 67"], ["2 55 08 14 168 025 39", "1 84 12 2B 124 456 67"] },
        { "MICROSOFT.GOVERNMENT.FRANCE.NATIONAL_ID_CARD", "cni", ["880692310285"], ["88069231028"] },
        { "MICROSOFT.GOVERNMENT.FRANCE.PASSPORT_NUMBER", "id", ["12AB34567"], ["1AB234567"] },
        { "MICROSOFT.GOVERNMENT.FRANCE.TAX.IDENTIFICATION.NUMBER", "spi", ["0123456789211", "3023217600053"], ["0123456789212", "3023217600054"] },
        { "MICROSOFT.GOVERNMENT.FRANCE.VALUE.ADDED.TAX.NUMBER", "vat", ["FR40303265045", "FR 40 303 265 045"], ["FR41303265045", "FR 40 303 265 046"] },
        { "MICROSOFT.GOVERNMENT.GERMANY.IDENTITY_CARD_NUMBER", "doc", ["L01X00T471"], ["L01X00T472"] },
        { "MICROSOFT.GOVERNMENT.GERMANY.IDENTITY_CARD_NUMBER", "ausweisnummer", ["L01X00T47"], ["A01X00T47"] },
        { "MICROSOFT.GOVERNMENT.GERMANY.PASSPORT_NUMBER", "doc", ["C01X00T478"], ["C01X00T479"] },
        { "MICROSOFT.GOVERNMENT.GERMANY.TAX.IDENTIFICATION.NUMBER", "steuer_id", ["86095742719", "47036892816", "65 929 970 489"], ["86095742718", "47036892817", "65 929 970 488"] },
        { "MICROSOFT.GOVERNMENT.GERMANY.VALUE.ADDED.TAX.NUMBER", "vat", ["DE136695976"], ["DE136695977"] },
        { "MICROSOFT.GOVERNMENT.ITALY.VALUE.ADDED.TAX.NUMBER", "vat", ["IT00743060154", "IT01234560017"], ["IT00743060155", "IT01234560018"] },
        { "MICROSOFT.GOVERNMENT.NETHERLANDS.VALUE.ADDED.TAX.NUMBER", "vat", ["NL004495445B01", "NL123456782B01"], ["NL004495446B01", "NL123456783B01"] },
        { "MICROSOFT.GOVERNMENT.BELGIUM.VALUE.ADDED.TAX.NUMBER", "vat", ["BE0403019261", "BE 0403.019.261"], ["BE0403019262", "BE 0403.019.262"] },
        { "MICROSOFT.GOVERNMENT.SPAIN.DNI", "dni", ["12345678Z", "12345678-z"], ["12345678A", "12345679Z"] },
        { "MICROSOFT.GOVERNMENT.SPAIN.TAX.IDENTIFICATION.NUMBER", "nif", ["X1234567L", "12345678Z"], ["X1234567M", "Y1234567L"] },
        { "MICROSOFT.GOVERNMENT.SPAIN.SOCIAL_SECURITY_NUMBER", "naf", ["28/12345678/40", "08/1234567/74"], ["28/12345678/41", "08/1234567/75"] },
        { "MICROSOFT.GOVERNMENT.ITALY.FISCAL.CODE", "cf", ["RSSMRA85T10A562S", "MRTMTT91D08F205J"], ["RSSMRA85T10A562T", "MRTMTT91D08F205K"] },
        { "MICROSOFT.GOVERNMENT.NETHERLANDS.CITIZENS_SERVICE_NUMBER", "bsn", ["111222333", "123456782", "010464554"], ["111222334", "123456783", "010464555"] },
        { "MICROSOFT.GOVERNMENT.BELGIUM.NATIONAL_NUMBER", "nn", ["93.05.18-223.61", "85.07.30-033.28"], ["93.05.18-223.62", "85.07.30-033.29"] },
        { "MICROSOFT.GOVERNMENT.POLAND.NATIONAL_ID_NUMBER", "pesel", ["44051401359", "02070803628", "90090515836"], ["44051401358", "02070803629", "90090515837"] },
        { "MICROSOFT.GOVERNMENT.SWEDEN.NATIONAL_ID", "personnummer", ["811228-9874", "19900101-0017", "900101-0017"], ["811228-9875", "19900101-0018", "900101-0018"] },
        { "MICROSOFT.GOVERNMENT.NORWAY.IDENTIFICATION_NUMBER", "fnr", ["01010101006", "15076500565"], ["01010101007", "15076500566"] },
        { "MICROSOFT.GOVERNMENT.DENMARK.PERSONAL_IDENTIFICATION_NUMBER", "cpr", ["070761-4285", "010190-1238"], ["070761-4286", "010190-1239"] },
        { "MICROSOFT.GOVERNMENT.FINLAND.NATIONAL_ID", "hetu", ["131052-308T", "010594Y990V"], ["131052-308U", "010594Y990W"] },
        { "MICROSOFT.GOVERNMENT.IRELAND.PERSONAL_PUBLIC_SERVICE_NUMBER", "pps", ["1234567T", "1234567FA"], ["1234567U", "1234567TA"] },
        { "MICROSOFT.GOVERNMENT.PORTUGAL.TAX.IDENTIFICATION.NUMBER", "nif", ["123456789"], ["123456788"] },
        { "MICROSOFT.GOVERNMENT.CROATIA.PERSONAL_IDENTIFICATION_NUMBER", "oib", ["69435151530", "94577403194"], ["69435151531", "94577403195"] },
        { "MICROSOFT.GOVERNMENT.SWITZERLAND.SSN.AHV.NUMBER", "ahv", ["756.1234.5678.97", "756.9217.0769.85"], ["756.1234.5678.98", "757.9217.0769.85"] },
        { "MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER", "tckn", ["10000000146", "12345678950"], ["10000000147", "12345678951"] },

        // Asia, Oceania, Africa
        { "MICROSOFT.GOVERNMENT.INDIA.PERMANENT_ACCOUNT_NUMBER", "pan", ["ABCPE1234F", "AAAHA9999A"], ["ABCXE1234F", "AAAHA999AA"] },
        { "MICROSOFT.GOVERNMENT.INDIA.UNIQUE_IDENTIFICATION_NUMBER", "aadhaar", ["2341 2341 2346", "499187513249", "6359-2417-8108"], ["2341 2341 2347", "499187513248", "6359-2417-8109"] },
        { "MICROSOFT.GOVERNMENT.CHINA.RESIDENT_IDENTITY_CARD_NUMBER", "id", ["11010519491231002X", "440301199003071230", "110101198001010010"], ["110105194912310021", "440301199003071231", "110101198013010010"] },
        { "MICROSOFT.GOVERNMENT.JAPAN.MY.NUMBER.PERSONAL", "my_number", ["123456789018", "5374 8194 6216"], ["123456789019", "5374 8194 6217"] },
        { "MICROSOFT.GOVERNMENT.JAPAN.MY.NUMBER.CORPORATE", "corporate_number", ["9234567890123", "1180301018771"], ["8234567890123", "2180301018771"] },
        { "MICROSOFT.GOVERNMENT.SOUTH_KOREA.RESIDENT_REGISTRATION_NUMBER", "rrn", ["850101-1234566", "900101-1234568"], ["850101-1234567", "900101-1234569"] },
        { "MICROSOFT.GOVERNMENT.SINGAPORE.NATIONAL_REGISTRATION_IDENTITY_CARD_NUMBER", "nric", ["S1234567D", "F1234567N", "T0412345F"], ["S1234567E", "F1234567D", "T0412345G"] },
        { "MICROSOFT.GOVERNMENT.HONG_KONG.IDENTITY_CARD_NUMBER", "hkid", ["A123456(3)", "AB987654(3)", "A1234563"], ["A123456(4)", "AB987654(4)", "A1234564"] },
        { "MICROSOFT.GOVERNMENT.TAIWAN.NATIONAL_IDENTIFICATION_NUMBER", "id", ["A123456789", "F131104093"], ["A123456788", "F131104094"] },
        { "MICROSOFT.GOVERNMENT.AUSTRALIA.TAX_FILE_NUMBER", "tfn", ["123 456 782", "123456782"], ["123 456 783", "123456783"] },
        { "MICROSOFT.GOVERNMENT.AUSTRALIA.BUSINESS.NUMBER", "abn", ["51 824 753 556", "51824753556"], ["51 824 753 557", "51824753557"] },
        { "MICROSOFT.GOVERNMENT.AUSTRALIA.COMPANY.NUMBER", "acn", ["000 000 019", "010 499 966"], ["000 000 018", "010 499 967"] },
        { "MICROSOFT.GOVERNMENT.AUSTRALIA.MEDICAL_ACCOUNT_NUMBER", "medicare", ["2123456701", "2123 45670 1"], ["2123456711", "7123 45670 1"] },
        { "MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER", "passport_number", ["N1234567", "PA1234567"], ["B1234567", "PG1234567"] },
        { "MICROSOFT.GOVERNMENT.NEW_ZEALAND.MINISTRY_OF_HEALTH_NUMBER", "nhi", ["ZZZ0016", "ZZZ 0024"], ["ZZZ0017", "ZZO0024"] },
        { "MICROSOFT.GOVERNMENT.NEW_ZEALAND.INLAND.REVENUE.NUMBER", "ird_number", ["49-091-850", "136410132"], ["49-091-851", "136410133"] },
        { "MICROSOFT.GOVERNMENT.SOUTH_AFRICA.IDENTIFICATION_NUMBER", "id", ["8001015009087", "9202204720083"], ["8001015009088", "9202204720084"] },

        // Security
        { "MICROSOFT.SECURITY.AZURE_STORAGE_ACCOUNT_KEY", "secret", [StorageKey, $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={StorageKey};EndpointSuffix=core.windows.net"], [StorageKey[..86] + "A=", $"AccountName=acct;AccountKey={StorageKey[..60]}"] },
    };

    private static readonly string StorageKey = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray());

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Each_detector_classifies_valid_values_and_not_the_same_values_with_one_character_changed(string classification, string column, string[] valid, string[] nearMisses)
    {
        foreach (var value in valid)
        {
            Assert.True(SystemSet.ClassifyColumn(new SampledColumn(column, "string", [value])).Contains(classification), $"{value} should be {classification}");
        }

        foreach (var value in nearMisses)
        {
            Assert.False(SystemSet.ClassifyColumn(new SampledColumn(column, "string", [value])).Contains(classification), $"{value} should not be {classification}");
        }
    }

    [Theory]
    [InlineData("MICROSOFT.FINANCIAL.US.BANK_ACCOUNT_NUMBER", "bank_account", "123456789012")]
    [InlineData("MICROSOFT.FINANCIAL.SWIFT_CODE", "bic", "DEUTDEFF")]
    [InlineData("MICROSOFT.GOVERNMENT.US_UK.PASSPORT_NUMBER", "passport", "123456789")]
    [InlineData("MICROSOFT.GOVERNMENT.CANADA.SOCIAL_INSURANCE_NUMBER", "sin", "046454286")]
    [InlineData("MICROSOFT.GOVERNMENT.US.ZIP_CODE", "postal_code", "98052")]
    [InlineData("MICROSOFT.GOVERNMENT.CROATIA.PERSONAL_IDENTIFICATION_NUMBER", "oib", "69435151530")]
    [InlineData("MICROSOFT.FINANCIAL.EU.DEBIT_CARD_NUMBER", "maestro", "5500000000000004")]
    public void A_weak_format_is_classified_only_under_a_column_named_like_it(string classification, string hinted, string value)
    {
        Assert.Contains(classification, SystemSet.ClassifyColumn(new SampledColumn(hinted, "string", [value, value])));
        Assert.DoesNotContain(classification, SystemSet.ClassifyColumn(new SampledColumn("value", "string", [value, value])));

        var text = SystemSet.Classify(new AssetSample([new SampledColumn("content", SampleDataTypes.Unstructured, [$"{hinted}: {value}"])], 40));
        Assert.DoesNotContain(classification, text.Classifications);
    }

    [Fact]
    public void Every_detector_is_named_by_a_published_system_classification_and_at_least_40_are_detected()
    {
        var published = SystemClassificationNames.Names.ToHashSet(StringComparer.Ordinal);

        Assert.All(SystemClassifications.All, m => Assert.Contains(m.ClassificationName, published));
        Assert.True(SystemClassifications.Names.Count >= 40, $"{SystemClassifications.Names.Count} classifications are detected");
        Assert.All(SystemClassifications.All, m => Assert.NotNull(m.Shape));
        Assert.All(SystemClassifications.All, m => Assert.Equal(SystemClassifications.MinimumPercentageMatch, m.MinimumPercentageMatch));
    }

    [Fact]
    public void Every_detected_classification_has_a_case_in_the_detector_theory()
    {
        var tested = Detectors().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(SystemClassifications.Names, n => !tested.Contains(n));
    }

    [Fact]
    public void A_column_of_mixed_identifiers_is_classified_by_the_one_that_reaches_60_percent()
    {
        string[] values = ["111.444.777-35", "529.982.247-25", "390.533.447-05", "GB82WEST12345698765432", "nothing"];

        var found = SystemSet.ClassifyColumn(new SampledColumn("document", "string", values));

        Assert.Equal(["MICROSOFT.GOVERNMENT.BRAZIL.CPF_NUMBER"], found);
    }

    [Fact]
    public void Header_labels_are_not_mistaken_for_values()
    {
        Assert.All(["iban", "cpf", "ssn", "email", "passport", "WA", "state"], label => Assert.False(SystemClassifications.LooksLikeValue(label)));
        Assert.True(SystemClassifications.LooksLikeValue("GB82WEST12345698765432"));
        Assert.True(SystemClassifications.LooksLikeValue("111.444.777-35"));
        Assert.False(SystemClassifications.LooksLikeValue("123456789012"));
    }
}
