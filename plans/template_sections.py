"""The template a new library plan starts from: the sections most plans have, with guidance.

This is document content (written in Swedish, like the plans themselves), not interface text.
The guidance follows KB's handbook "Biblioteksplan 2.0" and the Library Act (2013:801).
"""

TEMPLATE_SECTIONS = [
    (
        "Inledning och syfte",
        "<p>Beskriv varför planen finns och vad den ska användas till. Enligt bibliotekslagen (2013:801) "
        "17 § ska kommuner och regioner anta biblioteksplaner för sin verksamhet på biblioteksområdet.</p>",
    ),
    (
        "Uppdrag och styrdokument",
        "<p>Beskriv bibliotekens uppdrag och hur planen hänger ihop med andra styrdokument, till exempel "
        "kommunens vision, skolplan, kulturplan och den regionala biblioteksplanen.</p>",
    ),
    (
        "Nulägesanalys och behov",
        "<p>Beskriv bibliotekens verksamhet i dag och vilka behov som finns hos invånarna. Vilka underlag "
        "bygger analysen på (statistik, enkäter, dialoger)?</p>",
    ),
    (
        "Prioriterade grupper",
        "<p>Beskriv hur biblioteken ägnar särskild uppmärksamhet åt barn och unga (8 §), personer med "
        "funktionsnedsättning (4 §), de nationella minoriteterna och personer med annat modersmål än "
        "svenska (5 §).</p>",
    ),
    (
        "Fokusområden och mål",
        "<p>Planens fokusområden med mål, insatser och nyckeltal beskrivs i tabellerna nedan. Här kan du "
        "sammanfatta varför just dessa områden har valts.</p>",
    ),
    (
        "Uppföljning",
        "<p>Beskriv hur, när och av vem planen följs upp, vilka nyckeltal som används och hur resultatet "
        "återrapporteras till nämnden.</p>",
    ),
]
