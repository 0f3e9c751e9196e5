namespace Purview.Core.Classification;

/// <summary>One published system classification: its formal name and the title Microsoft Learn gives it.</summary>
public sealed record PublishedClassification(string Name, string DisplayName, bool Attested);

/// <summary>
/// Every system classification name Purview publishes, which scan rule sets may name
/// (<c>excludedSystemClassifications</c>). The list is the one of Microsoft Learn's "Supported classifications in
/// Microsoft Purview" (MicrosoftDocs/azure-docs, articles/purview/supported-classifications.md: one entry per section of
/// the page) plus the names Microsoft's own examples carry (the Scanning and Data Map specs' examples, the Az.Purview
/// reference pages): <c>MICROSOFT.PERSONAL.EU.PHONE_NUMBER</c>, <c>MICROSOFT.SYSTEM.TEMP_FILE</c>,
/// <c>MICROSOFT.SECURITY.COMMON_PASSWORDS</c>, <c>MICROSOFT.MISCELLANEOUS.IPADDRESS</c>, ...
/// The page gives titles, not formal names, so a name is spelled as Microsoft's examples spell it where one does
/// (<see cref="PublishedClassification.Attested"/>), and otherwise derived from the title with the attested
/// convention: names Purview launched with separate words with '_' (<c>GOVERNMENT.CANADA.DRIVERS_LICENSE_NUMBER</c>),
/// the European set added later with '.' (<c>GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER</c>). Because Purview itself
/// spells them both ways, names are matched ignoring case and treating '.' and '_' alike; the canonical spelling below is
/// what is stored and returned.
/// </summary>
public static class SystemClassificationNames
{
    private const string Table = """
        MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER|ABA routing number|a
        MICROSOFT.GOVERNMENT.ARGENTINA.DNI_NUMBER|Argentina national identity (DNI) number
        MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER|Australia bank account number|a
        MICROSOFT.GOVERNMENT.AUSTRALIA.BUSINESS.NUMBER|Australia business number
        MICROSOFT.GOVERNMENT.AUSTRALIA.COMPANY.NUMBER|Australia company number|a
        MICROSOFT.GOVERNMENT.AUSTRALIA.DRIVERS_LICENSE_NUMBER|Australia driver's license number|a
        MICROSOFT.GOVERNMENT.AUSTRALIA.MEDICAL_ACCOUNT_NUMBER|Australia medical account number
        MICROSOFT.GOVERNMENT.AUSTRALIA.PASSPORT_NUMBER|Australia passport number
        MICROSOFT.GOVERNMENT.AUSTRALIA.TAX_FILE_NUMBER|Australia tax file number
        MICROSOFT.GOVERNMENT.AUSTRIA.DRIVERS.LICENSE.NUMBER|Austria driver's license number
        MICROSOFT.GOVERNMENT.AUSTRIA.IDENTITY.CARD|Austria identity card
        MICROSOFT.GOVERNMENT.AUSTRIA.PASSPORT.NUMBER|Austria passport number
        MICROSOFT.GOVERNMENT.AUSTRIA.SOCIAL.SECURITY.NUMBER|Austria social security number
        MICROSOFT.GOVERNMENT.AUSTRIA.TAX.IDENTIFICATION.NUMBER|Austria tax identification number|a
        MICROSOFT.GOVERNMENT.AUSTRIA.VALUE.ADDED.TAX|Austria value added tax
        MICROSOFT.GOVERNMENT.BELGIUM.DRIVERS.LICENSE.NUMBER|Belgium driver's license number|a
        MICROSOFT.GOVERNMENT.BELGIUM.NATIONAL_NUMBER|Belgium national number
        MICROSOFT.GOVERNMENT.BELGIUM.PASSPORT.NUMBER|Belgium passport number
        MICROSOFT.GOVERNMENT.BELGIUM.VALUE.ADDED.TAX.NUMBER|Belgium value added tax number
        MICROSOFT.GOVERNMENT.BRAZIL.CPF_NUMBER|Brazil CPF number
        MICROSOFT.GOVERNMENT.BRAZIL.LEGAL_ENTITY_NUMBER|Brazil legal entity number (CNPJ)
        MICROSOFT.GOVERNMENT.BRAZIL.RG_NUMBER|Brazil national identification card (RG)
        MICROSOFT.GOVERNMENT.BULGARIA.DRIVERS.LICENSE.NUMBER|Bulgaria driver's license number
        MICROSOFT.GOVERNMENT.BULGARIA.UNIFORM.CIVIL.NUMBER|Bulgaria uniform civil number
        MICROSOFT.GOVERNMENT.BULGARIA.PASSPORT.NUMBER|Bulgaria passport number
        MICROSOFT.FINANCIAL.CANADA.BANK_ACCOUNT_NUMBER|Canada bank account number
        MICROSOFT.GOVERNMENT.CANADA.DRIVERS_LICENSE_NUMBER|Canada driver's license number|a
        MICROSOFT.GOVERNMENT.CANADA.HEALTH_SERVICE_NUMBER|Canada health service number
        MICROSOFT.GOVERNMENT.CANADA.PASSPORT_NUMBER|Canada passport number
        MICROSOFT.GOVERNMENT.CANADA.PERSONAL_HEALTH_IDENTIFICATION_NUMBER|Canada personal health identification number (PHIN)
        MICROSOFT.GOVERNMENT.CANADA.SOCIAL_INSURANCE_NUMBER|Canada social insurance number
        MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER|Chile identity card number|a
        MICROSOFT.GOVERNMENT.CHINA.RESIDENT_IDENTITY_CARD_NUMBER|China resident identity card (PRC) number
        MICROSOFT.GOVERNMENT.CITY_NAME|World cities|a
        MICROSOFT.GOVERNMENT.COUNTRY_NAME|Country
        MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER|Credit card number|a
        MICROSOFT.GOVERNMENT.CROATIA.DRIVERS.LICENSE.NUMBER|Croatia driver's license number
        MICROSOFT.GOVERNMENT.CROATIA.IDENTITY_CARD_NUMBER|Croatia identity card number
        MICROSOFT.GOVERNMENT.CROATIA.PASSPORT.NUMBER|Croatia passport number
        MICROSOFT.GOVERNMENT.CROATIA.PERSONAL_IDENTIFICATION_NUMBER|Croatia personal identification (OIB) number
        MICROSOFT.GOVERNMENT.CYPRUS.DRIVERS.LICENSE.NUMBER|Cyprus drivers license number
        MICROSOFT.GOVERNMENT.CYPRUS.IDENTITY.CARD|Cyprus identity card
        MICROSOFT.GOVERNMENT.CYPRUS.PASSPORT.NUMBER|Cyprus passport number
        MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER|Cyprus tax identification number|a
        MICROSOFT.GOVERNMENT.CZECH.DRIVERS.LICENSE.NUMBER|Czech Republic driver's license number
        MICROSOFT.GOVERNMENT.CZECH.PASSPORT.NUMBER|Czech passport number
        MICROSOFT.GOVERNMENT.CZECH.PERSONAL_IDENTITY_NUMBER|Czech national identity card number
        MICROSOFT.PERSONAL.DATE_OF_BIRTH|Date of birth
        MICROSOFT.GOVERNMENT.DENMARK.DRIVERS.LICENSE.NUMBER|Denmark driver's license number
        MICROSOFT.GOVERNMENT.DENMARK.PASSPORT.NUMBER|Denmark passport number
        MICROSOFT.GOVERNMENT.DENMARK.PERSONAL_IDENTIFICATION_NUMBER|Denmark personal identification number
        MICROSOFT.PERSONAL.EMAIL|Email|a
        MICROSOFT.GOVERNMENT.ESTONIA.DRIVERS.LICENSE.NUMBER|Estonia driver's license number
        MICROSOFT.GOVERNMENT.ESTONIA.PERSONAL.IDENTIFICATION.CODE|Estonia personal identification code
        MICROSOFT.GOVERNMENT.ESTONIA.PASSPORT.NUMBER|Estonia passport number
        MICROSOFT.PERSONAL.ETHNIC_GROUP|Ethnic groups
        MICROSOFT.FINANCIAL.EU.DEBIT_CARD_NUMBER|EU debit card number
        MICROSOFT.GOVERNMENT.EU.DRIVERS.LICENSE.NUMBER|EU driver's license number
        MICROSOFT.GOVERNMENT.EU.PASSPORT.NUMBER|EU passport number
        MICROSOFT.PERSONAL.EU.PHONE_NUMBER|EU phone number|a
        MICROSOFT.GOVERNMENT.FINLAND.DRIVERS.LICENSE.NUMBER|Finland driver's license number
        MICROSOFT.GOVERNMENT.FINLAND.EUROPEAN.HEALTH.INSURANCE.NUMBER|Finland european health insurance number
        MICROSOFT.GOVERNMENT.FINLAND.NATIONAL_ID|Finland national ID
        MICROSOFT.GOVERNMENT.FINLAND.PASSPORT_NUMBER|Finland passport number
        MICROSOFT.GOVERNMENT.FRANCE.DRIVERS_LICENSE_NUMBER|France driver's license number
        MICROSOFT.GOVERNMENT.FRANCE.HEALTH.INSURANCE.NUMBER|France health insurance number
        MICROSOFT.GOVERNMENT.FRANCE.NATIONAL_ID_CARD|France national id card (CNI)
        MICROSOFT.GOVERNMENT.FRANCE.PASSPORT_NUMBER|France passport number
        MICROSOFT.GOVERNMENT.FRANCE.SOCIAL_SECURITY_NUMBER|France social security number (INSEE)
        MICROSOFT.GOVERNMENT.FRANCE.TAX.IDENTIFICATION.NUMBER|France tax identification number
        MICROSOFT.GOVERNMENT.FRANCE.VALUE.ADDED.TAX.NUMBER|France value added tax number
        MICROSOFT.PERSONAL.GENDER|Person's gender|a
        MICROSOFT.GOVERNMENT.GERMANY.DRIVERS_LICENSE_NUMBER|Germany driver's license number
        MICROSOFT.GOVERNMENT.GERMANY.IDENTITY_CARD_NUMBER|Germany identity card number
        MICROSOFT.GOVERNMENT.GERMANY.PASSPORT_NUMBER|Germany passport number
        MICROSOFT.GOVERNMENT.GERMANY.TAX.IDENTIFICATION.NUMBER|Germany tax identification number
        MICROSOFT.GOVERNMENT.GERMANY.VALUE.ADDED.TAX.NUMBER|Germany value added tax number
        MICROSOFT.GOVERNMENT.GREECE.DRIVERS.LICENSE.NUMBER|Greece driver's license number
        MICROSOFT.GOVERNMENT.GREECE.NATIONAL_ID_CARD|Greece national ID card
        MICROSOFT.GOVERNMENT.GREECE.PASSPORT.NUMBER|Greece passport number
        MICROSOFT.GOVERNMENT.GREECE.SOCIAL.SECURITY.NUMBER|Greece social security number (AMKA)
        MICROSOFT.GOVERNMENT.GREECE.TAX.IDENTIFICATION.NUMBER|Greece tax identification number
        MICROSOFT.GOVERNMENT.HONG_KONG.IDENTITY_CARD_NUMBER|Hong Kong identity card (HKID) number
        MICROSOFT.GOVERNMENT.HUNGARY.DRIVERS.LICENSE.NUMBER|Hungary driver's license number
        MICROSOFT.GOVERNMENT.HUNGARY.PERSONAL.IDENTIFICATION.NUMBER|Hungary personal identification number
        MICROSOFT.GOVERNMENT.HUNGARY.PASSPORT.NUMBER|Hungary passport number
        MICROSOFT.GOVERNMENT.HUNGARY.SOCIAL.SECURITY.NUMBER|Hungary social security number (TAJ)
        MICROSOFT.GOVERNMENT.HUNGARY.TAX.IDENTIFICATION.NUMBER|Hungary tax identification number
        MICROSOFT.GOVERNMENT.HUNGARY.VALUE.ADDED.TAX.NUMBER|Hungary value added tax number
        MICROSOFT.GOVERNMENT.INDIA.PERMANENT_ACCOUNT_NUMBER|India permanent account number (PAN)
        MICROSOFT.GOVERNMENT.INDIA.UNIQUE_IDENTIFICATION_NUMBER|India unique identification (Aadhaar) number
        MICROSOFT.GOVERNMENT.INDONESIA.IDENTITY_CARD_NUMBER|Indonesia identity card (KTP) number
        MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER|International banking account number (IBAN)
        MICROSOFT.PERSONAL.IPADDRESS|IP address
        MICROSOFT.MISCELLANEOUS.IPADDRESS|IP address (the spelling of Microsoft's Az.Purview examples)|a
        MICROSOFT.PERSONAL.IPADDRESS.V4|IP address v4
        MICROSOFT.PERSONAL.IPADDRESS.V6|IP address v6
        MICROSOFT.GOVERNMENT.IRELAND.DRIVERS.LICENSE.NUMBER|Ireland driver's license number
        MICROSOFT.GOVERNMENT.IRELAND.PASSPORT.NUMBER|Ireland passport number
        MICROSOFT.GOVERNMENT.IRELAND.PERSONAL_PUBLIC_SERVICE_NUMBER|Ireland personal public service (PPS) number
        MICROSOFT.FINANCIAL.ISRAEL.BANK_ACCOUNT_NUMBER|Israel bank account number
        MICROSOFT.GOVERNMENT.ISRAEL.NATIONAL_IDENTIFICATION_NUMBER|Israel national identification number
        MICROSOFT.GOVERNMENT.ITALY.DRIVERS_LICENSE_NUMBER|Italy driver's license number
        MICROSOFT.GOVERNMENT.ITALY.FISCAL.CODE|Italy fiscal code
        MICROSOFT.GOVERNMENT.ITALY.PASSPORT.NUMBER|Italy passport number
        MICROSOFT.GOVERNMENT.ITALY.VALUE.ADDED.TAX.NUMBER|Italy value added tax number
        MICROSOFT.FINANCIAL.JAPAN.BANK_ACCOUNT_NUMBER|Japan bank account number
        MICROSOFT.GOVERNMENT.JAPAN.DRIVERS_LICENSE_NUMBER|Japan driver's license number
        MICROSOFT.GOVERNMENT.JAPAN.MY.NUMBER.CORPORATE|Japan My Number - Corporate
        MICROSOFT.GOVERNMENT.JAPAN.MY.NUMBER.PERSONAL|Japan My Number - Personal
        MICROSOFT.GOVERNMENT.JAPAN.PASSPORT_NUMBER|Japan passport number
        MICROSOFT.GOVERNMENT.JAPAN.RESIDENCE_CARD_NUMBER|Japan residence card number
        MICROSOFT.GOVERNMENT.JAPAN.RESIDENT_REGISTRATION_NUMBER|Japan resident registration number
        MICROSOFT.GOVERNMENT.JAPAN.SOCIAL_INSURANCE_NUMBER|Japan social insurance number (SIN)
        MICROSOFT.GOVERNMENT.LATVIA.DRIVERS.LICENSE.NUMBER|Latvia driver's license number
        MICROSOFT.GOVERNMENT.LATVIA.PERSONAL.CODE|Latvia personal code
        MICROSOFT.GOVERNMENT.LATVIA.PASSPORT.NUMBER|Latvia passport number
        MICROSOFT.GOVERNMENT.LITHUANIA.DRIVERS.LICENSE.NUMBER|Lithuania driver's license number
        MICROSOFT.GOVERNMENT.LITHUANIA.PERSONAL.CODE|Lithuania personal code
        MICROSOFT.GOVERNMENT.LITHUANIA.PASSPORT.NUMBER|Lithuania passport number
        MICROSOFT.PERSONAL.GEOLOCATION|Location|a
        MICROSOFT.GOVERNMENT.LUXEMBURG.DRIVERS.LICENSE.NUMBER|Luxemburg driver's license number
        MICROSOFT.GOVERNMENT.LUXEMBURG.NATIONAL.IDENTIFICATION.NUMBER.NATURAL.PERSONS|Luxemburg national identification number natural persons
        MICROSOFT.GOVERNMENT.LUXEMBURG.NATIONAL.IDENTIFICATION.NUMBER.NON.NATURAL.PERSONS|Luxemburg national identification number non-natural persons
        MICROSOFT.GOVERNMENT.LUXEMBURG.PASSPORT.NUMBER|Luxemburg passport number
        MICROSOFT.GOVERNMENT.MALAYSIA.IDENTIFICATION_CARD_NUMBER|Malaysia identification card number
        MICROSOFT.GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER|Malta driver's license number|a
        MICROSOFT.GOVERNMENT.MALTA.IDENTITY.CARD.NUMBER|Malta identity card number
        MICROSOFT.GOVERNMENT.MALTA.PASSPORT.NUMBER|Malta passport number
        MICROSOFT.GOVERNMENT.MALTA.TAX.IDENTIFICATION.NUMBER|Malta tax identification number
        MICROSOFT.GOVERNMENT.NETHERLANDS.CITIZENS_SERVICE_NUMBER|Netherlands citizen's service (BSN) number
        MICROSOFT.GOVERNMENT.NETHERLANDS.DRIVERS.LICENSE.NUMBER|Netherlands driver's license number
        MICROSOFT.GOVERNMENT.NETHERLANDS.PASSPORT.NUMBER|Netherlands passport number
        MICROSOFT.GOVERNMENT.NETHERLANDS.TAX.IDENTIFICATION.NUMBER|Netherlands tax identification number
        MICROSOFT.GOVERNMENT.NETHERLANDS.VALUE.ADDED.TAX.NUMBER|Netherlands value added tax number
        MICROSOFT.FINANCIAL.NEW_ZEALAND.BANK.ACCOUNT.NUMBER|New Zealand bank account number
        MICROSOFT.GOVERNMENT.NEW_ZEALAND.DRIVERS.LICENSE.NUMBER|New Zealand driver's license number
        MICROSOFT.GOVERNMENT.NEW_ZEALAND.INLAND.REVENUE.NUMBER|New Zealand inland revenue number
        MICROSOFT.GOVERNMENT.NEW_ZEALAND.MINISTRY_OF_HEALTH_NUMBER|New Zealand ministry of health number
        MICROSOFT.GOVERNMENT.NEW_ZEALAND.SOCIAL.WELFARE.NUMBER|New Zealand social welfare number
        MICROSOFT.GOVERNMENT.NORWAY.IDENTIFICATION_NUMBER|Norway identification number
        MICROSOFT.PERSONAL.NAME|Person's name|a
        MICROSOFT.PERSONAL.PHYSICALADDRESS|Person's address|a
        MICROSOFT.PERSONAL.AGE|Person's age
        MICROSOFT.GOVERNMENT.PHILIPPINES.UNIFIED_MULTI_PURPOSE_ID_NUMBER|Philippines unified multi-purpose identification number
        MICROSOFT.GOVERNMENT.POLAND.DRIVERS.LICENSE.NUMBER|Poland driver's license number
        MICROSOFT.GOVERNMENT.POLAND.IDENTITY_CARD_NUMBER|Poland identity card
        MICROSOFT.GOVERNMENT.POLAND.NATIONAL_ID_NUMBER|Poland national ID (PESEL)
        MICROSOFT.GOVERNMENT.POLAND.PASSPORT_NUMBER|Poland passport number
        MICROSOFT.GOVERNMENT.POLAND.REGON.NUMBER|Poland REGON number
        MICROSOFT.GOVERNMENT.POLAND.TAX.IDENTIFICATION.NUMBER|Poland tax identification number
        MICROSOFT.GOVERNMENT.PORTUGAL.CITIZEN_CARD_NUMBER|Portugal citizen card number
        MICROSOFT.GOVERNMENT.PORTUGAL.DRIVERS.LICENSE.NUMBER|Portugal driver's license number
        MICROSOFT.GOVERNMENT.PORTUGAL.PASSPORT.NUMBER|Portugal passport number
        MICROSOFT.GOVERNMENT.PORTUGAL.TAX.IDENTIFICATION.NUMBER|Portugal tax identification number
        MICROSOFT.GOVERNMENT.ROMANIA.DRIVERS.LICENSE.NUMBER|Romania driver's license number
        MICROSOFT.GOVERNMENT.ROMANIA.PERSONAL.NUMERIC.CODE|Romania personal numeric code (CNP)
        MICROSOFT.GOVERNMENT.ROMANIA.PASSPORT.NUMBER|Romania passport number
        MICROSOFT.GOVERNMENT.RUSSIA.PASSPORT.NUMBER.DOMESTIC|Russia passport number domestic
        MICROSOFT.GOVERNMENT.RUSSIA.PASSPORT.NUMBER.INTERNATIONAL|Russia passport number international
        MICROSOFT.GOVERNMENT.SAUDI_ARABIA.NATIONAL_ID|Saudi Arabia National ID
        MICROSOFT.SECURITY.AZURE_STORAGE_ACCOUNT_KEY|Azure storage account key
        MICROSOFT.SECURITY.COMMON_PASSWORDS|Common passwords|a
        MICROSOFT.GOVERNMENT.SINGAPORE.NATIONAL_REGISTRATION_IDENTITY_CARD_NUMBER|Singapore national registration identity card (NRIC) number
        MICROSOFT.GOVERNMENT.SLOVAKIA.DRIVERS.LICENSE.NUMBER|Slovakia driver's license number
        MICROSOFT.GOVERNMENT.SLOVAKIA.PERSONAL.NUMBER|Slovakia personal number
        MICROSOFT.GOVERNMENT.SLOVAKIA.PASSPORT.NUMBER|Slovakia passport number
        MICROSOFT.GOVERNMENT.SLOVENIA.DRIVERS.LICENSE.NUMBER|Slovenia driver's license number
        MICROSOFT.GOVERNMENT.SLOVENIA.UNIQUE.MASTER.CITIZEN.NUMBER|Slovenia Unique Master Citizen Number
        MICROSOFT.GOVERNMENT.SLOVENIA.PASSPORT.NUMBER|Slovenia passport number
        MICROSOFT.GOVERNMENT.SLOVENIA.TAX.IDENTIFICATION.NUMBER|Slovenia tax identification number
        MICROSOFT.GOVERNMENT.SOUTH_AFRICA.IDENTIFICATION_NUMBER|South Africa identification number
        MICROSOFT.GOVERNMENT.SOUTH_KOREA.RESIDENT_REGISTRATION_NUMBER|South Korea resident registration number
        MICROSOFT.GOVERNMENT.SPAIN.DRIVERS.LICENSE.NUMBER|Spain driver's license number
        MICROSOFT.GOVERNMENT.SPAIN.DNI|Spain DNI
        MICROSOFT.GOVERNMENT.SPAIN.PASSPORT.NUMBER|Spain passport number
        MICROSOFT.GOVERNMENT.SPAIN.SOCIAL_SECURITY_NUMBER|Spain social security number (SSN)
        MICROSOFT.GOVERNMENT.SPAIN.TAX.IDENTIFICATION.NUMBER|Spain tax identification number
        MICROSOFT.GOVERNMENT.SWEDEN.DRIVERS.LICENSE.NUMBER|Sweden driver's license number
        MICROSOFT.GOVERNMENT.SWEDEN.NATIONAL_ID|Sweden national ID
        MICROSOFT.GOVERNMENT.SWEDEN.PASSPORT_NUMBER|Sweden passport number
        MICROSOFT.GOVERNMENT.SWEDEN.TAX.IDENTIFICATION.NUMBER|Sweden tax identification number
        MICROSOFT.FINANCIAL.SWIFT_CODE|SWIFT code
        MICROSOFT.GOVERNMENT.SWITZERLAND.SSN.AHV.NUMBER|Switzerland SSN AHV number
        MICROSOFT.SYSTEM.TEMP_FILE|Temporary file|a
        MICROSOFT.GOVERNMENT.TAIWAN.NATIONAL_IDENTIFICATION_NUMBER|Taiwan national identification number
        MICROSOFT.GOVERNMENT.TAIWAN.PASSPORT_NUMBER|Taiwan passport number
        MICROSOFT.GOVERNMENT.TAIWAN.RESIDENT_CERTIFICATE_NUMBER|Taiwan-resident certificate (ARC/TARC) number
        MICROSOFT.GOVERNMENT.THAILAND.POPULATION_IDENTIFICATION_CODE|Thai population identification code
        MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER|Turkish national identification number|a
        MICROSOFT.GOVERNMENT.UK.DRIVERS_LICENSE_NUMBER|U.K. driver's license number
        MICROSOFT.GOVERNMENT.UK.ELECTORAL_ROLL_NUMBER|U.K. electoral roll number
        MICROSOFT.GOVERNMENT.UK.NATIONAL_HEALTH_SERVICE_NUMBER|U.K. national health service number
        MICROSOFT.GOVERNMENT.UK.NATIONAL_INSURANCE_NUMBER|U.K. national insurance number (NINO)
        MICROSOFT.GOVERNMENT.UK.UNIQUE.TAXPAYER.REFERENCE.NUMBER|U.K. Unique Taxpayer Reference Number
        MICROSOFT.FINANCIAL.US.BANK_ACCOUNT_NUMBER|U.S. bank account number
        MICROSOFT.GOVERNMENT.US.DRIVERS_LICENSE_NUMBER|U.S. driver's license number
        MICROSOFT.GOVERNMENT.US.INDIVIDUAL_TAXPAYER_IDENTIFICATION_NUMBER|U.S. individual taxpayer identification number (ITIN)
        MICROSOFT.PERSONAL.US.PHONE_NUMBER|U.S. phone number|a
        MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER|U.S. social security number (SSN)|a
        MICROSOFT.GOVERNMENT.US.STATE|U.S. states|a
        MICROSOFT.GOVERNMENT.US.ZIP_CODE|U.S. zipcode|a
        MICROSOFT.GOVERNMENT.US_UK.PASSPORT_NUMBER|U.S. / U.K. passport number
        MICROSOFT.GOVERNMENT.UKRAINE.PASSPORT.DOMESTIC|Ukraine passport domestic
        MICROSOFT.GOVERNMENT.UKRAINE.PASSPORT.INTERNATIONAL|Ukraine passport international
        """;

    /// <summary>Every published name, in the order of the Learn page.</summary>
    public static IReadOnlyList<PublishedClassification> All { get; } = Parse();

    public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToList();

    private static readonly Dictionary<string, string> ByKey = All.ToDictionary(c => Key(c.Name), c => c.Name, StringComparer.Ordinal);

    /// <summary>The canonical spelling of a published name (case and '.'/'_' ignored), or null when Purview publishes no such name.</summary>
    public static string? Canonical(string? name) =>
        name is { Length: > 0 and <= 256 } && ByKey.TryGetValue(Key(name), out var canonical) ? canonical : null;

    /// <summary>The comparison key of a name: upper case, '_' read as '.'.</summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c == '_' ? '.' : char.ToUpperInvariant(c);
            }
        });
    }

    private static List<PublishedClassification> Parse()
    {
        var list = new List<PublishedClassification>();
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            list.Add(new PublishedClassification(parts[0], parts[1], parts.Length > 2 && parts[2] == "a"));
        }

        return list;
    }
}
