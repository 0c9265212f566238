#!/usr/bin/env python3
"""Writes src/reader/title/given-names.txt: given names of many countries, for telling a
speaker's name from a talk's words in file names (`Edoardo_Manino_…`, `Lieven Desmet - …`).

Source: the person providers of Faker (MIT licence, (c) Daniele Faraglia and contributors),
every locale's given names written in Latin letters. Left out: names that are common English
words (the cleaner's own english-words.txt, and three-letter words with a wordfreq Zipf
frequency of 3.5 or more: `art`, `may`), words the lexicon lists as something else (tools,
companies, events, cities, labels), names of two letters, and given names that are also
languages, tools or models (`julia`, `ruby`, `hugo`, `claude`). A few names of many locales
stay though the English list holds them (`antonio`).

Rerun (needs `pip install faker==40.63.0 wordfreq==3.1.1`):
    python3 scripts/make-given-names.py
"""

import importlib
import pathlib
import pkgutil
import unicodedata

import faker
import faker.providers.person as person
import wordfreq

ROOT = pathlib.Path(__file__).resolve().parent.parent
TITLE = ROOT / "src" / "reader" / "title"

# Given names that are also languages, tools or products talks are about.
TOOLS = """
ada alexa apollo astro atlas aurora ava cassandra crystal delta django doris ember felix
hugo iris jackson jade jasmine julia karma luna nova pascal phoenix ray ruby sage siri
sonar tempo vera vesta zola kylin storm spark flink camel maven jenkins harbor envoy
meta loki conan claude gemma amber maya hermes luigi odin nim travis bruno jasper seldon
kiali argo tekton keda dapr
""".split()

# Given names of many locales that the English list holds too (it has proper nouns): names
# first, whatever the list says.
NAMES_THOUGH_WORDS = """
simon caroline anne louise antonio robin marc julian oscar carolina monica harry ellen danny
alfred lily arnold frederick annie abraham tommy sally sandy jake ross charlie katie josh
kenny eddie hugh stan kent blake allen troy stewart warren wilson morris pierce kane cole
jackie gene perry murray moses ellis brady blair harper hillary franklin clinton jefferson
lincoln kennedy collins campbell evans davis johnson williams robinson anderson newton
""".split()

# Lexicon sections whose words are not a person's given name.
OTHER_SECTIONS = {
    "status", "status-glued", "weak-status", "session", "post", "event", "event-suffix",
    "city", "company", "region", "deck-label", "preposition", "latin-not-name",
    "camel-word", "tech-word", "year-versioned", "organizer-suffix", "company-suffix",
}


def lexicon_words():
    words, section = set(), ""
    for line in (TITLE / "lexicon.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section in OTHER_SECTIONS:
            words.add(line.lower())
    return words


def english_words():
    text = (TITLE / "english-words.txt").read_text()
    return {l for l in text.splitlines() if l and not l.startswith("#")}


def latin_letters(name):
    return all("LATIN" in unicodedata.name(c, "") or c in "-'" for c in name)


def items(value):
    if value is None or isinstance(value, property):
        return []
    return list(value.keys() if hasattr(value, "keys") else value)


def main():
    names = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary"):
            for name in items(getattr(provider, attr, None)):
                if isinstance(name, str) and " " not in name and latin_letters(name):
                    names.add(name.lower())
    skip = (english_words() - set(NAMES_THOUGH_WORDS)) | lexicon_words() | set(TOOLS)
    kept = sorted(
        n for n in names
        if len(n) >= 3
        and n not in skip
        and not (len(n) == 3 and wordfreq.zipf_frequency(n, "en") >= 3.5)
    )
    header = [
        "# Given names of many countries in Latin letters (issue 19, eighth round), lowercase,",
        f"# sorted: the person providers of Faker {faker.VERSION} (MIT licence, (c) Daniele Faraglia",
        "# and contributors), less common English words, words the lexicon lists as something",
        "# else, two-letter names and names of languages and tools. Made by",
        "# scripts/make-given-names.py; the curated [given-name] section of lexicon.txt comes first.",
    ]
    (TITLE / "given-names.txt").write_text("\n".join(header + kept) + "\n")
    print(f"{len(kept)} names of {len(names)}")


if __name__ == "__main__":
    main()
