"""Names and source types: folding a person's name (:func:`fold_name`), the head noun of a
source and :func:`classify_source` (person, organization, media, document, anonymous,
unknown).
"""

from __future__ import annotations

import re

from utils.attribution.lexicons import _CAP_FUNCTION, _MEDIA_WORDS, _ORG_WORDS, TITLE_WORDS

# ---------------------------------------------------------------------------------------------
# speakers and source types


def _name_tokens(name: str) -> list[str]:
    return [t for t in re.split(r"\s+", name.strip()) if t]


def fold_name(name: str) -> str:
    """A person's name without titles and descriptors: "Russian President Vladimir Putin" ->
    "Vladimir Putin", "Sir Tony Brenton" -> "Tony Brenton", "Sen. Ted Cruz (R-Texas)" -> "Ted
    Cruz", "Senator Bernie Sanders of Vermont" -> "Bernie Sanders".

    Bracketed affiliations, a trailing possessive and an "of <place>" tail are removed, and so
    is everything up to the last title word (President, Sen., Sir, Dr., Mr., former, ...).
    """
    name = re.sub(r"\([^)]*\)", " ", name or "")
    name = re.sub(r"\s+of\s+.*$", "", name.strip())
    name = re.sub(r"['\u2019]s?$", "", name.strip())
    tokens = [t.strip(",") for t in _name_tokens(name) if t.strip(",")]
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        if token.lower().strip(".,") in _TITLE_ONLY:
            cut = i + 1
    return " ".join(tokens[cut:])


def _surname(folded: str) -> str:
    tokens = [t for t in folded.split() if t.lower().strip(".,") not in ("jr", "sr", "ii", "iii")]
    return tokens[-1].lower().strip(".,") if tokens else ""


_NAME_CHUNK = re.compile(
    r"(?:[A-Z][\w.'&/-]*|al-[\w'-]+)(?:\s+(?:(?:of|for|on|and|the|de|bin|van|von|al|la|del|der|"
    r"ibn|di|da|du)\s+)*(?:[A-Z][\w.'&/-]*|al-[\w'-]+))*"
)
_LEADING_MODIFIER = re.compile(
    r"^(?:(?:the|a|an)\s+|[\w-]+-(?:based|led|backed|run|funded)\s+)+", re.I
)


#: A name of two to four capitalised words opening a source, then its role in lower case with
#: no comma between (text that lost its commas: "Hamza Khatib the manager of ...").
_LEADING_NAME = re.compile(
    r"(?P<name>(?:[A-Z][\w.'-]*|al-[\w'-]+)(?:\s+(?:[A-Z][\w.'-]*|al-[\w'-]+)){1,3})"
    r"\s+(?:(?:a|an|the|its)\s+)?[a-z]"
)
_PREPOSITION_BEFORE = re.compile(r"\s(?:of|in|at|for|from|with|by|on)\s")


def _leading_name(head: str) -> str | None:
    """The name opening ``head`` when a role in lower case follows it and every later name
    comes after a preposition ("Zakaria Malahifji senior official in the rebel group
    Fastaqim" -> "Zakaria Malahifji"; not "White House spokesman Josh Earnest")."""
    m = _LEADING_NAME.match(head)
    if m is None or m.group("name").split()[0].lower() in _CAP_FUNCTION:
        return None
    for later in _NAME_CHUNK.finditer(head, m.end("name")):
        if not _PREPOSITION_BEFORE.search(head, m.end("name"), later.start()):
            return None
    return m.group("name")


#: Where the name opening a source ends: a comma or a dash; in text without commas also an
#: article or an age after a plain name (:data:`_AFTER_A_NAME`, see :func:`_name_head`).
_NAME_HEAD_END = re.compile(r",|\s[\u2014\u2013-]\s")
_AFTER_A_NAME = re.compile(r"\s(?=(?:a|an|the|\d{1,3})\s)")
#: Two to four capitalised words (with an optional title): a name as it leads a source.
_PLAIN_NAME = re.compile(r"(?:[A-Z][a-z]*\.\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'.-]+){1,3}")
#: A parenthesis closing a source: a party and state ("(R-OH)"), an age, an agency.
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def _name_head(source_text: str) -> str:
    """The part of a source before its first comma or dash, or before an article or an age
    that follows a plain name ("Sara Fagen a Republican strategist" -> "Sara Fagen")."""
    head = _NAME_HEAD_END.split(source_text, maxsplit=1)[0]
    m = _AFTER_A_NAME.search(head)
    if m and _PLAIN_NAME.fullmatch(head[: m.start()]):
        return head[: m.start()]
    return head


def _name_chunk(source_text: str) -> str | None:
    """The proper name in a source ("Paul Pillar, a former analyst" -> "Paul Pillar";
    "Ronald Reagan's former secretary William Bennett" -> "William Bennett")."""
    head = _TRAILING_PARENTHESIS.sub("", _name_head(source_text))  # "(R-OH)": an aside
    leading = _leading_name(head)
    if leading is not None:
        return leading
    found = None
    for m in _NAME_CHUNK.finditer(head):
        chunk = _LEADING_MODIFIER.sub("", m.group(0)).strip()
        words = chunk.split()
        while words and words[0].lower().strip(".,") in _CAP_FUNCTION:
            words = words[1:]
        chunk = " ".join(words)
        if not chunk or re.search(r"['\u2019]s?$", chunk) and m.end() < len(head.rstrip()):
            continue  # a possessive modifier ("Mr. Obama's deputy")
        inner = re.split(r"['\u2019]s?\s+(?=[A-Z])", chunk)
        if len(inner) > 1 and inner[-1]:
            chunk = inner[-1]  # "Breitbart's Joel Pollak": the outlet is a modifier
        if all(w.lower().strip(".,") in _TITLE_ONLY for w in chunk.split()):
            continue  # "the Comptroller", "9:30 A.M."
        if sum(1 for w in chunk.split() if len(w) >= 4 and w.isupper()) >= 2:
            continue  # "NOBODY WILL LEAVE Damascus": a shouted heading, not a name
        found = chunk  # the last name wins ("Observatory director Rami Abdel Rahman")
    return found


def _head_noun(source_text: str) -> str:
    """Last word of the first noun phrase of a source ("a spokesman for X" -> "spokesman")."""
    first = re.split(
        r",|\s(?:of|for|at|with|from|in|on|close to|familiar with|who|whose|that|to|by|"
        r"under|inside|within|among|released|published|conducted|taken|issued|out|last|this|"
        r"earlier)\b|\s[a-z]+ing\s+(?=(?:to|the|a|an|for|on|in|with|at|of|his|her|their)\s)",
        source_text.strip(),
    )[0]
    words = re.findall(r"[\w'-]+", first)
    return words[-1].lower().strip("'") if words else ""


_TITLE_ONLY = TITLE_WORDS | frozenset(
    "a.m p.m am pm comptroller cardinal treasurer auditor councilor councillor premier "
    "governor-elect president-elect chancellor magistrate".split()
)
_ANON_HEADS = frozenset(
    "officials official sources source aides aide people persons person insiders insider "
    "advisers adviser advisors advisor experts expert analysts analyst critics critic observers "
    "diplomats diplomat staffers staffer members member residents resident witnesses witness "
    "activists activist supporters supporter opponents opponent lawmakers lawmaker strategists "
    "strategist operatives operative investigators investigator someone spokesman spokeswoman "
    "spokesperson representatives representative voters voter others economists economist "
    "scientists scientist researchers researcher scholars scholar employees employee officers "
    "officer soldiers soldier fighters locals americans republicans democrats conservatives "
    "liberals donors donor allies ally friends friend relatives relative neighbors neighbor "
    "observers organizers organizer".split()
)
_DOCUMENT_HEADS = frozenset(
    "report reports transcript statement statements study studies poll polls survey surveys "
    "document documents letter memo filing filings data records record book analysis complaint "
    "lawsuit tweet tweets release email emails indictment ruling order bill law resolution "
    "paper article review audit estimate estimates figures numbers census assessment testimony "
    "platform ad advertisement video footage message note speech op-ed interview website page "
    "account findings results summary excerpts transcripts sheet website polling count tally "
    "projections projection forecast model documents cable cables minutes".split()
)
_MEDIA_HEADS = frozenset(
    "times post news cnn fox nbc abc cbs msnbc npr pbs reuters ap afp bloomberg journal "
    "politico breitbart bbc tv television radio newspaper magazine outlet network agency tass "
    "sputnik sana guardian telegraph tribune herald gazette daily huffpost buzzfeed axios hill "
    "atlantic newsweek today wire broadcaster channel media press reporter reporters journalist "
    "journalists columnist editorial anchor blog site intercept register globe examiner "
    "observer economist mirror sun standard star".split()
)
_ORG_HEADS = frozenset(
    "department ministry kremlin house party committee campaign council agency inc corp company "
    "university association institute foundation pentagon congress senate government "
    "administration police fbi cia nsa army military navy court group groups organization "
    "organisation office bureau commission union coalition embassy un nato eu board firm bank "
    "center centre league alliance movement federation authority authorities regime cabinet "
    "opposition rebels forces city state country county team caucus club society gop rnc dnc "
    "isis isil taliban hezbollah hamas observatory network ministry council staff school church "
    "hospital force army jazeera fund pac legislature parliament secretariat mission management "
    "directorate command monitor watchdog".split()
)
_PERSON_NOUNS = frozenset(
    "senator president governor candidate ambassador minister mayor secretary leader nominee "
    "chairman chairwoman director lawyer attorney man woman father mother son daughter wife "
    "husband businessman congressman congresswoman judge professor author chief commander "
    "general host pastor doctor speaker manager chair founder ceo executive head nominee "
    "prosecutor sheriff king queen prince pope bishop imam rabbi actor actress singer coach "
    "player mogul billionaire veteran student teacher mom dad brother sister frontrunner "
    "front-runner consultant economist pollster historian scientist researcher physician nurse "
    "representative delegate councilman councilwoman commissioner superintendent lieutenant "
    "colonel officer editor reporter columnist journalist anchor commentator correspondent "
    "publisher producer writer blogger organizer scholar lecturer dean chaplain priest cleric "
    "spokesperson owner voter retiree contender hopeful challenger incumbent legislator "
    "assemblyman assemblywoman treasurer counsel counselor employee engineer comedian musician "
    "entrepreneur investor banker donor fundraiser volunteer moderator interviewer parent".split()
)


def classify_source(source: str) -> str:
    """Source type of a source as written: ``person``, ``organization``, ``media``,
    ``document``, ``anonymous`` or ``unknown``.

    Decided by the head noun of the source's first noun phrase and by whether it holds a proper
    name: "officials", "a source close to the campaign" -> anonymous; "a Kremlin transcript" ->
    document; "Syrian state TV" -> media; "the State Department" -> organization; "Sir Tony
    Brenton", "the senator", "he" -> person; "it", "they", "" -> unknown.
    """
    text = _TRAILING_PARENTHESIS.sub("", (source or "").strip())
    lead = _name_head(text)
    if lead != text and "," not in text and _PLAIN_NAME.fullmatch(lead):
        text = lead  # "Sara Fagen a Republican strategist" (no comma): the name leads
    if not text:
        return "unknown"
    low = text.lower()
    if low in ("he", "she", "i", "him", "her", "who", "me"):
        return "person"
    if low in ("it", "they", "we", "you", "this", "that", "which", "us", "them"):
        return "unknown"
    head = _head_noun(text)
    name = _name_chunk(text)
    first = low.split()[0]
    indefinite = first in (
        "a", "an", "one", "two", "three", "four", "several", "some", "many", "other", "another",
        "most", "few", "dozens", "numerous", "various", "multiple",
    )  # fmt: skip
    if (name and name.split()[-1].lower().strip(".,'") != head and head not in _PERSON_NOUNS
            and _leading_name(_name_head(text)) is None):
        name = None  # "Antenna owners": a capitalised modifier, not a name
    if head in _DOCUMENT_HEADS:
        return "document"
    definite = first in ("the", "this", "that", "his", "her", "their", "its") or bool(
        re.search(r"['\u2019]s?\s", text)
    )
    if head in _ANON_HEADS and (indefinite or (head.endswith("s") and head != "witness")):
        return "anonymous"
    if head in _ANON_HEADS and not name and not definite:
        return "anonymous"
    if head in _MEDIA_HEADS or (name and _MEDIA_WORDS.search(name) and head not in _PERSON_NOUNS):
        return "media"
    if head in _ORG_HEADS or (name and _ORG_WORDS.search(name) and head not in _PERSON_NOUNS):
        return "organization"
    if head in _PERSON_NOUNS:
        return "anonymous" if indefinite else "person"
    if name and re.fullmatch(r"[A-Z]{2,6}", name):
        return "organization"  # "SOHR", "UNICEF", "NATO"
    if name:
        return "anonymous" if indefinite and len(name.split()) == 1 else "person"
    if re.fullmatch(r"[a-z-]+[^su]s", head) and not definite or indefinite:
        return "anonymous"  # an unnamed group: "antenna owners", "many", "some critics"
    return "unknown"
