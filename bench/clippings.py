#!/usr/bin/env python3
"""A second benchmark corpus, unlike the one `examples/gen_corpus.rs` writes:
quote-rich clippings with accented names, curly quotes and YAML front matter,
8 to 20 paragraphs each, every sentence naming entities of the catalogue.

    bench/clippings.py SOURCES OUT HUGO_FROM

writes OUT (a dossier: book.toml, content/) and OUT/hugo (the same articles
as a Hugo site, whose layouts and configuration are copied from HUGO_FROM,
a Hugo site written by gen_corpus). The output depends only on SOURCES.
"""
import os
import random
import re
import shutil
import sys

FIRST = ["María", "José", "Łukasz", "Ngozi", "Hiroshi", "Amélie", "Oleksandr", "Fatima",
         "Søren", "Chen", "Aylin", "Kwame", "Ingrid", "Rahul", "Zoë", "Mateus", "Yusuf",
         "Olga", "Pierre", "Nadia"]
LAST = ["García", "Nowak", "Okafor", "Tanaka", "Dubois", "Kovalenko", "Haddad", "Jørgensen",
        "Wei", "Yılmaz", "Mensah", "Berg", "Sharma", "Müller", "Silva", "Demir", "Ivanova",
        "Laurent", "Benali", "O'Brien"]
BODIES = ["Ministry of {}", "{} Commission", "{} Institute", "{} Federation", "Bank of {}",
          "{} Agency", "{} Alliance", "{} Council"]
TOPICS = ["Water", "Energy", "Transport", "Health", "Trade", "Fisheries", "Mining",
          "Aviation", "Rail", "Ports", "Forests", "Labour", "Tourism", "Space", "Cyber"]
PLACES = ["Valparaíso", "Gdańsk", "Lagos", "Sapporo", "Lyon", "Kharkiv", "Beirut", "Aarhus",
          "Chengdu", "İzmir", "Kumasi", "Bergen", "Pune", "Leipzig", "Recife", "Konya",
          "Kazan", "Nantes", "Oran", "Cork"]
VERBS = ["said", "told reporters", "warned", "argued", "announced", "denied", "confirmed",
         "insisted"]
OUTLETS = ["The Ledger", "Coastal Post", "Wire One", "Daily Meridian"]


def slug(name):
    text = name.lower().encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def quoted(text):
    return '"' + text.replace('"', '\\"') + '"'


def catalogue(rng):
    people = sorted({f"{f} {l}" for f in FIRST for l in LAST})
    entities = [(name, "person") for name in rng.sample(people, 360)]
    entities += [(body.format(topic), "organisation") for body in BODIES for topic in TOPICS]
    entities += [(place, "place") for place in PLACES]
    return entities


def sentence(rng, a, b):
    form = rng.random()
    if form < 0.3:
        return (f"“We will not accept {rng.choice(TOPICS).lower()} cuts,” {a} "
                f"{rng.choice(VERBS)} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.")
    if form < 0.5:
        month = rng.choice(["March", "April", "June", "October"])
        return (f"On {rng.randint(1, 28)} {month}, {a} met officials from {b} "
                f"in {rng.choice(PLACES)}.")
    return (f"{a} {rng.choice(VERBS)} that the {rng.choice(TOPICS).lower()} plan backed by "
            f"{b} would cost {rng.randint(2, 900)} million, a figure disputed by analysts "
            f"in {rng.choice(PLACES)}.")


def main():
    count, out, hugo_from = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(7)
    sources, entities_dir = f"{out}/content/sources", f"{out}/content/entities"
    articles = f"{out}/hugo/content/articles"
    for folder in (sources, entities_dir, articles):
        os.makedirs(folder, exist_ok=True)
    entities = catalogue(rng)
    for name, kind in entities:
        aliases = f"aliases: [{quoted(name.split()[-1])}]\n" if kind == "person" else ""
        with open(f"{entities_dir}/{slug(name)}.md", "w") as f:
            f.write(f"---\nname: {quoted(name)}\nkind: {kind}\n{aliases}---\n\n"
                    f"{name}, as the clippings name it.\n")
    for i in range(count):
        named = [name for name, _ in rng.sample(entities, 6)]
        date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        paragraphs = []
        for _ in range(rng.randint(8, 20)):
            paragraphs.append(" ".join(sentence(rng, *rng.sample(named, 2))
                                       for _ in range(rng.randint(2, 5))))
        title = f"{named[0]} and {named[1]} clash over {rng.choice(TOPICS).lower()} ({i})"
        text = "\n\n".join(paragraphs) + "\n"
        with open(f"{sources}/story-{i:05d}.md", "w") as f:
            f.write(f"---\ntitle: {quoted(title)}\ndate: {date}\n"
                    f"outlet: {quoted(rng.choice(OUTLETS))}\n---\n\n{text}")
        with open(f"{articles}/story-{i:05d}.md", "w") as f:
            f.write(f"+++\ntitle = {quoted(title)}\ndate = {date}\n"
                    f"entities = [{', '.join(quoted(n) for n in named)}]\n+++\n\n{text}")
    with open(f"{out}/book.toml", "w") as f:
        f.write('[dossier]\ntitle = "Clippings"\n')
    shutil.copytree(f"{hugo_from}/layouts", f"{out}/hugo/layouts", dirs_exist_ok=True)
    shutil.copy(f"{hugo_from}/hugo.toml", f"{out}/hugo/hugo.toml")


if __name__ == "__main__":
    main()
