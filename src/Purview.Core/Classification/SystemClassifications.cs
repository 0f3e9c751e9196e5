using System.Text.RegularExpressions;

namespace Purview.Core.Classification;

/// <summary>
/// The system classifications we detect, by Purview's published names (<see cref="SystemClassificationNames"/>), each
/// with a validator that goes beyond a pattern where the format has a checksum or reserved ranges (Luhn, mod-97, Verhoeff,
/// ISO 7064, national weightings), so look-alike values are not classified. Values are matched whole after trimming: a
/// column holds one value per row. Every detector declares the <see cref="ShapeRule"/> of what it can accept, so that a
/// sampled value is parsed only by the few detectors whose shape it has. Formats too weak to recognize alone (bank
/// accounts, passports, 9-digit numbers without a check) need a column-name hint, as Purview's keywords do.
/// The table of what each checks is docs/CLASSIFICATIONS.md.
/// </summary>
public static partial class SystemClassifications
{
    public const string Email = "MICROSOFT.PERSONAL.EMAIL";
    public const string CreditCardNumber = "MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER";
    public const string UsSocialSecurityNumber = "MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER";
    public const string Iban = "MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER";
    public const string IpAddress = "MICROSOFT.PERSONAL.IPADDRESS";
    public const string UsPhoneNumber = "MICROSOFT.PERSONAL.US.PHONE_NUMBER";
    public const string AzureStorageAccountKey = "MICROSOFT.SECURITY.AZURE_STORAGE_ACCOUNT_KEY";
    public const string BrazilCpfNumber = "MICROSOFT.GOVERNMENT.BRAZIL.CPF_NUMBER";
    public const string UsBankAccountNumber = "MICROSOFT.FINANCIAL.US.BANK_ACCOUNT_NUMBER";

    /// <summary>Purview's fixed threshold for system classifications: 60% of the sampled non-empty values.</summary>
    public const int MinimumPercentageMatch = 60;

    private const CharClasses SpaceHyphen = CharClasses.Space | CharClasses.Hyphen;

    private static readonly Regex BankAccountHint = Hint(@"bank|acc(oun)?t|acct|checking|savings|iban|bsb|kontonummer|cuenta|compte");
    private static readonly Regex PassportHint = Hint(@"pass(port|eport|aporte|nummer)|reisepass|travel.?doc");
    private static readonly Regex SwiftHint = Hint(@"swift|bic");

    /// <summary>Every detector, in a fixed order; several may share a name (one format recognized alone, another only under a hint).</summary>
    public static IReadOnlyList<ClassificationMatcher> All { get; } =
    [
        // Financial
        D(CreditCardNumber, IsCreditCardNumber, new ShapeRule(13, 23, 13, 19, CharClasses.Digit | SpaceHyphen, 0, 0)),
        D("MICROSOFT.FINANCIAL.EU.DEBIT_CARD_NUMBER", IsEuDebitCardNumber, new ShapeRule(16, 19, 16, 16, CharClasses.Digit | SpaceHyphen, 0, 0), Hint(@"debit|maestro|bancontact|girocard|carte|karte|tarjeta|cart[aã]o|kaart")),
        D(Iban, IsIban, new ShapeRule(15, 42, 2, 40, CharClasses.Digit | CharClasses.Letter | CharClasses.Space, 2)),
        D("MICROSOFT.FINANCIAL.SWIFT_CODE", IsSwiftCode, new ShapeRule(8, 11, 0, 5, CharClasses.Upper | CharClasses.Digit, 6), SwiftHint),
        D("MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER", IsAbaRoutingNumber, ShapeRule.Digits(9, 9, CharClasses.Hyphen, 2)),
        D(UsBankAccountNumber, IsUsBankAccountNumber, ShapeRule.Digits(6, 17), BankAccountHint),
        D("MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER", IsAustraliaBankAccountNumber, ShapeRule.Digits(6, 16, SpaceHyphen, 2), BankAccountHint),
        D("MICROSOFT.FINANCIAL.CANADA.BANK_ACCOUNT_NUMBER", IsCanadaBankAccountNumber, ShapeRule.Digits(7, 20, SpaceHyphen, 2), BankAccountHint),

        // Contact, network, location
        D(Email, IsEmail, new ShapeRule(6, 254, 0, 254, CharClasses.Any, 2)),
        D(UsPhoneNumber, IsUsPhoneNumber, new ShapeRule(10, 20, 10, 11, CharClasses.Digit | CharClasses.Separators | CharClasses.Plus | CharClasses.Paren, 0, 0)),
        D("MICROSOFT.PERSONAL.EU.PHONE_NUMBER", IsEuPhoneNumber, new ShapeRule(9, 22, 8, 15, CharClasses.Digit | CharClasses.Separators | CharClasses.Plus | CharClasses.Paren, 0, 0)),
        D("MICROSOFT.PERSONAL.EU.PHONE_NUMBER", IsEuNationalPhoneNumber, new ShapeRule(9, 16, 9, 12, CharClasses.Digit | CharClasses.Separators | CharClasses.Paren, 0, 0), Hint(@"phone|tel|mobile|fax|handy|gsm|cell")),
        D(IpAddress, IsIpAddress, new ShapeRule(2, 45, 0, 39, CharClasses.Digit | CharClasses.Letter | CharClasses.Dot | CharClasses.Colon)),
        D("MICROSOFT.PERSONAL.GEOLOCATION", IsGeolocation, new ShapeRule(7, 60, 4, 40, CharClasses.Digit | CharClasses.Dot | CharClasses.Comma | CharClasses.Space | CharClasses.Hyphen | CharClasses.Plus, 0, 0)),
        D("MICROSOFT.GOVERNMENT.US.ZIP_CODE", IsUsZipCode, ShapeRule.Digits(5, 9, CharClasses.Hyphen, 1), Hint(@"zip|postal|post.?code")),
        D("MICROSOFT.GOVERNMENT.US.STATE", IsUsStateName, new ShapeRule(4, 20, 0, 0, CharClasses.Letter | CharClasses.Space, 4)),
        D("MICROSOFT.GOVERNMENT.US.STATE", IsUsStateCode, new ShapeRule(2, 2, 0, 0, CharClasses.Upper, 2), Hint(@"state|province|region")),

        // Security
        D(AzureStorageAccountKey, IsAzureStorageKeyOrConnectionString, new ShapeRule(88, ColumnClassifier.MaxValueLength, 0, ColumnClassifier.MaxValueLength, CharClasses.Any, 2)),

        // Government: Americas
        D(UsSocialSecurityNumber, IsUsSocialSecurityNumber, ShapeRule.Digits(9, 9, SpaceHyphen, 2)),
        D("MICROSOFT.GOVERNMENT.US.INDIVIDUAL_TAXPAYER_IDENTIFICATION_NUMBER", IsUsItin, ShapeRule.Digits(9, 9, SpaceHyphen, 2)),
        D("MICROSOFT.GOVERNMENT.US_UK.PASSPORT_NUMBER", IsNineDigits, ShapeRule.Digits(9, 9), PassportHint),
        D("MICROSOFT.GOVERNMENT.CANADA.SOCIAL_INSURANCE_NUMBER", IsCanadaSinFormatted, ShapeRule.Digits(9, 9, SpaceHyphen, 2)),
        D("MICROSOFT.GOVERNMENT.CANADA.SOCIAL_INSURANCE_NUMBER", IsCanadaSin, ShapeRule.Digits(9, 9), Hint(@"(^|[^a-z])sin([^a-z]|$)|social.?ins|assurance.?sociale")),
        D("MICROSOFT.GOVERNMENT.CANADA.PASSPORT_NUMBER", IsCanadaPassportNumber, new ShapeRule(8, 8, 6, 6, CharClasses.Upper | CharClasses.Digit, 2, 2), PassportHint),
        D(BrazilCpfNumber, IsBrazilCpf, ShapeRule.Digits(11, 11, CharClasses.Dot | CharClasses.Hyphen, 3)),
        D("MICROSOFT.GOVERNMENT.BRAZIL.LEGAL_ENTITY_NUMBER", IsBrazilCnpj, ShapeRule.Digits(14, 14, CharClasses.Dot | CharClasses.Hyphen | CharClasses.Slash, 4)),
        D("MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER", IsChileRut, new ShapeRule(9, 12, 7, 9, CharClasses.Digit | CharClasses.Dot | CharClasses.Hyphen | CharClasses.Letter, 0, 1)),

        // Government: Europe
        D("MICROSOFT.GOVERNMENT.UK.NATIONAL_INSURANCE_NUMBER", IsUkNino, new ShapeRule(9, 13, 6, 6, CharClasses.Letter | CharClasses.Digit | SpaceHyphen, 3, 3)),
        D("MICROSOFT.GOVERNMENT.UK.NATIONAL_HEALTH_SERVICE_NUMBER", IsUkNhsNumber, ShapeRule.Digits(10, 10, SpaceHyphen, 2)),
        D("MICROSOFT.GOVERNMENT.UK.UNIQUE.TAXPAYER.REFERENCE.NUMBER", IsTenDigits, ShapeRule.Digits(10, 10), Hint(@"utr|tax.?ref|taxpayer")),
        D("MICROSOFT.GOVERNMENT.FRANCE.SOCIAL_SECURITY_NUMBER", IsFranceInsee, new ShapeRule(15, 21, 13, 15, CharClasses.Digit | CharClasses.Space | CharClasses.Upper, 0, 1)),
        D("MICROSOFT.GOVERNMENT.FRANCE.NATIONAL_ID_CARD", IsTwelveDigits, ShapeRule.Digits(12, 12), Hint(@"(^|[^a-z])cni([^a-z]|$)|carte.?(nationale|d.?identit)|national.?id|id.?card")),
        D("MICROSOFT.GOVERNMENT.FRANCE.PASSPORT_NUMBER", IsFrancePassportNumber, new ShapeRule(9, 9, 7, 7, CharClasses.Digit | CharClasses.Letter, 2, 2)),
        D("MICROSOFT.GOVERNMENT.FRANCE.TAX.IDENTIFICATION.NUMBER", IsFranceTaxId, ShapeRule.Digits(13, 13, CharClasses.Space, 4)),
        D("MICROSOFT.GOVERNMENT.GERMANY.IDENTITY_CARD_NUMBER", IsGermanyIdCardWithCheck, new ShapeRule(10, 10, 1, 9, CharClasses.Upper | CharClasses.Digit, 1)),
        D("MICROSOFT.GOVERNMENT.GERMANY.IDENTITY_CARD_NUMBER", IsGermanyIdCard, new ShapeRule(9, 9, 0, 8, CharClasses.Upper | CharClasses.Digit, 1), Hint(@"ausweis|identity.?card|id.?card|personal.?id")),
        D("MICROSOFT.GOVERNMENT.GERMANY.PASSPORT_NUMBER", IsGermanyPassportNumber, new ShapeRule(10, 10, 1, 9, CharClasses.Upper | CharClasses.Digit, 1)),
        D("MICROSOFT.GOVERNMENT.GERMANY.TAX.IDENTIFICATION.NUMBER", IsGermanyTaxId, ShapeRule.Digits(11, 11, CharClasses.Space, 3)),
        D("MICROSOFT.GOVERNMENT.GERMANY.VALUE.ADDED.TAX.NUMBER", IsGermanyVat, new ShapeRule(11, 15, 9, 9, CharClasses.Letter | CharClasses.Digit | CharClasses.Space | CharClasses.Comma, 2, 2)),
        D("MICROSOFT.GOVERNMENT.FRANCE.VALUE.ADDED.TAX.NUMBER", IsFranceVat, new ShapeRule(13, 19, 9, 11, CharClasses.Letter | CharClasses.Digit | CharClasses.Separators | CharClasses.Comma, 2, 4)),
        D("MICROSOFT.GOVERNMENT.ITALY.VALUE.ADDED.TAX.NUMBER", IsItalyVat, new ShapeRule(13, 14, 11, 11, CharClasses.Letter | CharClasses.Digit | CharClasses.Separators | CharClasses.Comma, 2, 2)),
        D("MICROSOFT.GOVERNMENT.NETHERLANDS.VALUE.ADDED.TAX.NUMBER", IsNetherlandsVat, new ShapeRule(14, 16, 11, 11, CharClasses.Letter | CharClasses.Digit | CharClasses.Separators, 3, 3)),
        D("MICROSOFT.GOVERNMENT.BELGIUM.VALUE.ADDED.TAX.NUMBER", IsBelgiumVat, new ShapeRule(12, 16, 10, 10, CharClasses.Letter | CharClasses.Digit | CharClasses.Separators, 2, 2)),
        D("MICROSOFT.GOVERNMENT.SPAIN.DNI", IsSpainDni, new ShapeRule(9, 10, 8, 8, CharClasses.Digit | CharClasses.Letter | SpaceHyphen, 1, 1)),
        D("MICROSOFT.GOVERNMENT.SPAIN.TAX.IDENTIFICATION.NUMBER", IsSpainNif, new ShapeRule(9, 9, 7, 8, CharClasses.Digit | CharClasses.Upper, 1, 2)),
        D("MICROSOFT.GOVERNMENT.SPAIN.SOCIAL_SECURITY_NUMBER", IsSpainSocialSecurityNumber, ShapeRule.Digits(11, 12, CharClasses.Slash, 2)),
        D("MICROSOFT.GOVERNMENT.ITALY.FISCAL.CODE", IsItalyFiscalCode, new ShapeRule(16, 16, 0, 7, CharClasses.Letter | CharClasses.Digit, 9)),
        D("MICROSOFT.GOVERNMENT.NETHERLANDS.CITIZENS_SERVICE_NUMBER", IsNetherlandsBsn, ShapeRule.Digits(8, 9, CharClasses.Space | CharClasses.Dot, 2)),
        D("MICROSOFT.GOVERNMENT.BELGIUM.NATIONAL_NUMBER", IsBelgiumNationalNumber, ShapeRule.Digits(11, 11, CharClasses.Space | CharClasses.Dot | CharClasses.Hyphen, 4)),
        D("MICROSOFT.GOVERNMENT.POLAND.NATIONAL_ID_NUMBER", IsPolandPesel, ShapeRule.Digits(11, 11)),
        D("MICROSOFT.GOVERNMENT.SWEDEN.NATIONAL_ID", IsSwedenPersonalNumber, ShapeRule.Digits(10, 12, CharClasses.Hyphen | CharClasses.Plus, 1)),
        D("MICROSOFT.GOVERNMENT.NORWAY.IDENTIFICATION_NUMBER", IsNorwayIdNumber, ShapeRule.Digits(11, 11, CharClasses.Space, 1)),
        D("MICROSOFT.GOVERNMENT.DENMARK.PERSONAL_IDENTIFICATION_NUMBER", IsDenmarkCpr, ShapeRule.Digits(10, 10, CharClasses.Hyphen, 1)),
        D("MICROSOFT.GOVERNMENT.FINLAND.NATIONAL_ID", IsFinlandHetu, new ShapeRule(11, 11, 9, 10, CharClasses.Digit | CharClasses.Letter | CharClasses.Hyphen | CharClasses.Plus, 0, 2)),
        D("MICROSOFT.GOVERNMENT.IRELAND.PERSONAL_PUBLIC_SERVICE_NUMBER", IsIrelandPps, new ShapeRule(8, 9, 7, 7, CharClasses.Digit | CharClasses.Letter, 1, 2)),
        D("MICROSOFT.GOVERNMENT.PORTUGAL.TAX.IDENTIFICATION.NUMBER", IsPortugalNif, ShapeRule.Digits(9, 9, CharClasses.Space, 2), Hint(@"(^|[^a-z])nif([^a-z]|$)|contribuinte|fiscal|tax")),
        D("MICROSOFT.GOVERNMENT.CROATIA.PERSONAL_IDENTIFICATION_NUMBER", IsCroatiaOib, ShapeRule.Digits(11, 11), Hint(@"(^|[^a-z])oib([^a-z]|$)|osobni|personal.?id")),
        D("MICROSOFT.GOVERNMENT.SWITZERLAND.SSN.AHV.NUMBER", IsSwitzerlandAhv, ShapeRule.Digits(13, 13, CharClasses.Dot, 3)),
        D("MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER", IsTurkeyIdNumber, ShapeRule.Digits(11, 11)),

        // Government: Asia, Oceania, Africa
        D("MICROSOFT.GOVERNMENT.INDIA.PERMANENT_ACCOUNT_NUMBER", IsIndiaPan, new ShapeRule(10, 10, 4, 4, CharClasses.Letter | CharClasses.Digit, 6, 6)),
        D("MICROSOFT.GOVERNMENT.INDIA.UNIQUE_IDENTIFICATION_NUMBER", IsIndiaAadhaar, ShapeRule.Digits(12, 12, SpaceHyphen, 2)),
        D("MICROSOFT.GOVERNMENT.CHINA.RESIDENT_IDENTITY_CARD_NUMBER", IsChinaResidentId, new ShapeRule(18, 18, 17, 18, CharClasses.Digit | CharClasses.Letter, 0, 1)),
        D("MICROSOFT.GOVERNMENT.JAPAN.MY.NUMBER.PERSONAL", IsJapanMyNumberPersonal, ShapeRule.Digits(12, 12, CharClasses.Separators, 2)),
        D("MICROSOFT.GOVERNMENT.JAPAN.MY.NUMBER.CORPORATE", IsJapanMyNumberCorporate, ShapeRule.Digits(13, 13)),
        D("MICROSOFT.GOVERNMENT.SOUTH_KOREA.RESIDENT_REGISTRATION_NUMBER", IsSouthKoreaRrn, ShapeRule.Digits(13, 13, CharClasses.Hyphen, 1)),
        D("MICROSOFT.GOVERNMENT.SINGAPORE.NATIONAL_REGISTRATION_IDENTITY_CARD_NUMBER", IsSingaporeNric, new ShapeRule(9, 9, 7, 7, CharClasses.Letter | CharClasses.Digit, 2, 2)),
        D("MICROSOFT.GOVERNMENT.HONG_KONG.IDENTITY_CARD_NUMBER", IsHongKongId, new ShapeRule(8, 11, 6, 7, CharClasses.Letter | CharClasses.Digit | CharClasses.Paren, 1, 3)),
        D("MICROSOFT.GOVERNMENT.TAIWAN.NATIONAL_IDENTIFICATION_NUMBER", IsTaiwanId, new ShapeRule(10, 10, 9, 9, CharClasses.Letter | CharClasses.Digit, 1, 1)),
        D("MICROSOFT.GOVERNMENT.AUSTRALIA.TAX_FILE_NUMBER", IsAustraliaTfn, ShapeRule.Digits(8, 9, CharClasses.Space, 2)),
        D("MICROSOFT.GOVERNMENT.AUSTRALIA.BUSINESS.NUMBER", IsAustraliaAbn, ShapeRule.Digits(11, 11, SpaceHyphen, 3)),
        D("MICROSOFT.GOVERNMENT.AUSTRALIA.COMPANY.NUMBER", IsAustraliaAcn, ShapeRule.Digits(9, 9, CharClasses.Space, 2)),
        D("MICROSOFT.GOVERNMENT.AUSTRALIA.MEDICAL_ACCOUNT_NUMBER", IsAustraliaMedicare, ShapeRule.Digits(10, 11, CharClasses.Space, 3)),
        D("MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER", IsAustraliaPassportNumber, new ShapeRule(8, 9, 7, 7, CharClasses.Upper | CharClasses.Digit, 1, 2), PassportHint),
        D("MICROSOFT.GOVERNMENT.NEW_ZEALAND.MINISTRY_OF_HEALTH_NUMBER", IsNewZealandNhi, new ShapeRule(7, 8, 4, 4, CharClasses.Letter | CharClasses.Digit | CharClasses.Space, 3, 3)),
        D("MICROSOFT.GOVERNMENT.NEW_ZEALAND.INLAND.REVENUE.NUMBER", IsNewZealandIrd, ShapeRule.Digits(8, 9, SpaceHyphen, 2), Hint(@"(^|[^a-z])ird([^a-z]|$)|inland.?revenue|tax")),
        D("MICROSOFT.GOVERNMENT.SOUTH_AFRICA.IDENTIFICATION_NUMBER", IsSouthAfricaId, ShapeRule.Digits(13, 13, CharClasses.Space, 2)),
    ];

    /// <summary>The detected classification names (distinct, in detector order).</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.ClassificationName).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Whether some detector that needs no column hint accepts the value (a header label never does).</summary>
    public static bool LooksLikeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var shape = ValueShape.Of(value);
        foreach (var m in All)
        {
            if (m.ColumnHint is null && m.Admits(shape) && m.Matches!(value))
            {
                return true;
            }
        }

        return false;
    }

    private static ClassificationMatcher D(string name, Func<string, bool> test, ShapeRule shape, Regex? hint = null) =>
        new(name, MinimumPercentageMatch, test, [], shape, hint);

    private static Regex Hint(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexSafety.MatchTimeout);

    // ---- Shared parsing ----

    /// <summary>
    /// The digit values of <paramref name="value"/> into <paramref name="digits"/>, skipping the given separators;
    /// -1 when another character occurs or there are more digits than room.
    /// </summary>
    internal static int ReadDigits(ReadOnlySpan<char> value, Span<byte> digits, ReadOnlySpan<char> separators)
    {
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return -1;
                }

                digits[n++] = (byte)(c - '0');
            }
            else if (separators.IndexOf(c) < 0)
            {
                return -1;
            }
        }

        return n;
    }

    /// <summary>Digits only, exactly <paramref name="length"/> of them, separators allowed only where the value is formatted consistently.</summary>
    internal static bool TryDigits(ReadOnlySpan<char> value, Span<byte> digits, ReadOnlySpan<char> separators, int length) =>
        ReadDigits(value, digits, separators) == length;

    internal static int Number(ReadOnlySpan<byte> digits)
    {
        var n = 0;
        foreach (var d in digits)
        {
            n = (n * 10) + d;
        }

        return n;
    }

    internal static bool AllSame(ReadOnlySpan<byte> digits)
    {
        foreach (var d in digits)
        {
            if (d != digits[0])
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsDate(int year, int month, int day) =>
        year is >= 1800 and <= 2199 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Whether the separators of a formatted value sit exactly at the given positions (a space or hyphen, the same one each time).</summary>
    internal static bool SeparatedAt(ReadOnlySpan<char> value, ReadOnlySpan<int> positions, ReadOnlySpan<char> allowed)
    {
        if (value.Length != positions.Length + CountDigits(value))
        {
            return false;
        }

        char? seen = null;
        foreach (var p in positions)
        {
            if (p >= value.Length || allowed.IndexOf(value[p]) < 0 || (seen is { } s && s != value[p]))
            {
                return false;
            }

            seen = value[p];
        }

        return true;
    }

    private static int CountDigits(ReadOnlySpan<char> value)
    {
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                n++;
            }
        }

        return n;
    }
}
